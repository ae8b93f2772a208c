using HospitalFed.Cli.Tests.Ledger;
using HospitalFed.Learning.Data;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary>`hfed schema draft`: writes a draft the real loader reads; bad input is one line naming file:line.</summary>
public sealed class SchemaDraftCommandTests
{
    [Test]
    public async Task SchemaDraft_AdmissionsExport_WritesDraftThatLoadsTheExtract()
    {
        using var dir = new TempDir();
        var extract = Path.Combine(SampleData.HeartDiseaseDirectory, "..", "extract-example", "admissions-export.csv");

        var result = await Hfed.RunAsync("schema", "draft", extract, "--target", "Outcome", "--id", "PatientRef", "--out", dir["admissions.schema.json"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        var schema = ExtractSchema.Load(dir["admissions.schema.json"]);
        var table = ExtractLoader.LoadFile(extract, schema, schema.BadRows);
        Assert.Multiple(() =>
        {
            Assert.That(result.Out, Does.StartWith($"wrote {dir["admissions.schema.json"]}: 10 columns").And.Contain("review before use"));
            Assert.That(schema.Columns[0].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(table.Rows, Is.EqualTo(14));
        });
    }

    [Test]
    public async Task SchemaDraft_RaggedRow_FailsWithOneLineNamingFileAndLine()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["ragged.csv"], "a,b,c\n1,2,3\n4,5\n").WaitAsync(TimeSpan.FromSeconds(30));

        var result = await Hfed.RunAsync("schema", "draft", dir["ragged.csv"], "--out", dir["ragged.schema.json"]);

        Hfed.AssertOneLineFailure(result, "ragged.csv:3:1: expected 3 fields (as the header), found 2");
        Assert.That(File.Exists(dir["ragged.schema.json"]), Is.False);
    }

    [Test]
    public async Task SchemaDraft_UnreadableFile_FailsWithOneLine()
    {
        using var dir = new TempDir();

        var result = await Hfed.RunAsync("schema", "draft", dir["missing.csv"], "--out", dir["x.json"]);

        Hfed.AssertOneLineFailure(result, $"cannot read extract '{dir["missing.csv"]}'");
    }
}
