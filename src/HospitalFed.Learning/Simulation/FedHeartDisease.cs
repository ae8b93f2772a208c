using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// Loads FLamby's Fed-Heart-Disease benchmark (du Terrail et al., NeurIPS 2022 Datasets and
/// Benchmarks) from the unmodified UCI files through the ordinary ingestion path, and assigns
/// each accepted row to train or test from <c>flamby_split_rows.csv</c>, the exact published split.
/// </summary>
public static class FedHeartDisease
{
    /// <summary>Schema file name inside the sample directory.</summary>
    public const string SchemaFile = "heart-disease.schema.json";

    /// <summary>Split file name inside the sample directory.</summary>
    public const string SplitFile = "flamby_split_rows.csv";

    /// <summary>The four centres in FLamby's order.</summary>
    public static IReadOnlyList<string> Centres { get; } = ["cleveland", "hungarian", "switzerland", "va"];

    /// <summary>Loads every centre from <paramref name="directory"/> (samples/heart-disease).</summary>
    /// <exception cref="InvalidDataException">The ingested rows differ from the published split.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static IReadOnlyList<CentreData> Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var schema = ExtractSchema.Load(Path.Combine(directory, SchemaFile));
        var split = ReadSplit(Path.Combine(directory, SplitFile));
        var centres = new List<CentreData>();
        foreach (var centre in Centres)
        {
            var path = Path.Combine(directory, $"processed.{centre}.data");
            var table = ExtractLoader.LoadFile(path, schema, BadRowPolicy.Fail);
            var expected = split.Where(s => s.Centre == centre).ToDictionary(s => s.OriginalRow + 1, s => s.IsTest);
            var train = new List<int>();
            var test = new List<int>();
            for (var r = 0; r < table.Rows; r++)
            {
                if (!expected.Remove(table.SourceLines[r], out var isTest))
                {
                    throw new InvalidDataException($"{centre}: ingestion kept line {table.SourceLines[r]}, which the FLamby split does not list.");
                }

                (isTest ? test : train).Add(r);
            }

            if (expected.Count > 0)
            {
                throw new InvalidDataException($"{centre}: the FLamby split lists {expected.Count} rows ingestion dropped, first at line {expected.Keys.Min()}.");
            }

            centres.Add(new CentreData(centre, table.Subset(train), table.Subset(test)));
        }

        return centres;
    }

    private static List<(string Centre, int OriginalRow, bool IsTest)> ReadSplit(string path)
    {
        var rows = new List<(string, int, bool)>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{Path.GetFileName(path)}: empty file.");
        var centre = Array.IndexOf(header, "center");
        var split = Array.IndexOf(header, "split");
        var original = Array.IndexOf(header, "orig_row");
        if (centre < 0 || split < 0 || original < 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}:1: header lacks center, split or orig_row.");
        }

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split(',');
            if (fields.Length != header.Length
                || !int.TryParse(fields[original], out var row)
                || fields[split] is not ("train" or "test"))
            {
                throw new InvalidDataException($"{Path.GetFileName(path)}:{lineNumber}: malformed split row.");
            }

            rows.Add((fields[centre], row, fields[split] == "test"));
        }

        return rows;
    }
}
