using System.Text;
using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Synthetic;

/// <summary>One site of a <see cref="SyntheticCohort"/>: its train and test extracts as CSV text, and what they hold.</summary>
public sealed class SyntheticSite
{
    internal SyntheticSite(string name, ExtractSchema schema, string trainCsv, string testCsv, int trainRows, int testRows, double prevalence)
    {
        Name = name;
        Schema = schema;
        TrainCsv = trainCsv;
        TestCsv = testCsv;
        TrainRows = trainRows;
        TestRows = testRows;
        Prevalence = prevalence;
    }

    /// <summary>The site's name (<c>site-a</c> .. <c>site-d</c>), also the prefix of its patient references.</summary>
    public string Name { get; }

    /// <summary>The training extract: a header line, then one line per patient.</summary>
    public string TrainCsv { get; }

    /// <summary>The test extract, same format.</summary>
    public string TestCsv { get; }

    /// <summary>Patients in the training extract.</summary>
    public int TrainRows { get; }

    /// <summary>Patients in the test extract.</summary>
    public int TestRows { get; }

    /// <summary>The share of positive labels over all the site's rows (train and test), as drawn.</summary>
    public double Prevalence { get; }

    private ExtractSchema Schema { get; }

    /// <summary>Loads the training extract with <see cref="ExtractLoader"/>, as a site node would.</summary>
    public ExtractTable LoadTrain() => Load(TrainCsv, $"{Name}.train.csv");

    /// <summary>Loads the test extract with <see cref="ExtractLoader"/>.</summary>
    public ExtractTable LoadTest() => Load(TestCsv, $"{Name}.test.csv");

    private ExtractTable Load(string csv, string source)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv), writable: false);
        return ExtractLoader.Load(stream, source, Schema);
    }
}
