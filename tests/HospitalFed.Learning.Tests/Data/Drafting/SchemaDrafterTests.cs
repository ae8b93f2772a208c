using System.Text;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Data.Drafting;

namespace HospitalFed.Learning.Tests.Data.Drafting;

/// <summary>A drafted schema loads with ExtractSchema.Load and, with the target set, loads the same CSV through the real loader.</summary>
public sealed class SchemaDrafterTests
{
    /// <summary>Written by the test: quoted fields (with the delimiter and a quote inside), several missing tokens, mixed types, an identifier, a date, a constant.</summary>
    private const string Messy =
        "PatientId,Admitted,Age,Sex,Ward,Site,Cholesterol,Smoker,Outcome\n" +
        "P001,2025-01-07,63,M,\"Cardiology, North\",A,6.0,1,yes\n" +
        "P002,2025-01-09,67,F,\"Cardiology, North\",A,?,0,no\n" +
        "P003,2025-01-12,41,F,\"Ward \"\"B\"\"\",A,5.3,NA,no\n" +
        "P004,2025-01-15,56,M,General,A,6.4,0,no\n" +
        "P005,2025-01-17,,F,General,A,unknown,1,yes\n" +
        "P006,2025-01-20,62,M,General,A,5.1,0,no\n" +
        "P007,2025-01-21,57,F,\"Cardiology, North\",A,7.2,1,yes\n" +
        "P008,2025-01-24,63,M,General,A,high,0,no\n" +
        "P009,2025-01-26,53,M,\"Ward \"\"B\"\"\",A,5.9,1,no\n" +
        "P010,2025-01-28,57,F,General,A,6.6,0,yes\n";

    [Test]
    public void Draft_MessyCsvWithTarget_LoadsTheSameCsvThroughTheLoader()
    {
        // Act
        var draft = Draft(Messy, new SchemaDraftOptions { Target = "Outcome" });
        var schema = ExtractSchema.Parse(draft.Json);
        var table = ExtractLoader.Load(Stream(Messy), "messy.csv", schema, schema.BadRows);

        // Assert
        var columns = schema.Columns.ToDictionary(c => c.Name);
        Assert.Multiple(() =>
        {
            Assert.That(schema.MissingTokens, Is.EquivalentTo(new[] { "", "?", "NA" }));
            Assert.That(columns["PatientId"].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(columns["Admitted"].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(columns["Site"].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(columns["Age"].Type, Is.EqualTo(ColumnType.Numeric));
            Assert.That(columns["Age"].Minimum, Is.EqualTo(41));
            Assert.That(columns["Age"].Missing, Is.EqualTo(MissingPolicy.Indicator));
            Assert.That(columns["Ward"].Levels, Is.EqualTo(new[] { "Cardiology, North", "General", "Ward \"B\"" }));
            Assert.That(columns["Smoker"].Type, Is.EqualTo(ColumnType.Binary));
            Assert.That(columns["Cholesterol"].Type, Is.EqualTo(ColumnType.Numeric));
            Assert.That(schema.Target.PositiveValues, Is.EqualTo(new[] { "yes" }));
            Assert.That(schema.BadRows, Is.EqualTo(BadRowPolicy.Reject));
            Assert.That(draft.Json, Does.Contain("\"standardize\": \"all\""), "the draft spells out the default");
            Assert.That(draft.Review, Has.Some.Contains("column 'Cholesterol': mixed types: 2 value(s) are not numbers, first at line(s) 6, 9"));
            Assert.That(draft.Review, Has.Some.Contains("column 'PatientId': every value is different: a likely identifier"));
            Assert.That(draft.Review, Has.Some.Contains("column 'Site': constant"));
            Assert.That(draft.Json, Does.Not.Contain("unknown").And.Not.Contain("high"));
            Assert.That(table.Rows, Is.EqualTo(8));
            Assert.That(table.Report.RowsRejected, Is.EqualTo(2));
            Assert.That(table.Report.Errors.Select(e => e.Line), Is.EqualTo(new[] { 6, 9 }));
        });
    }

    [Test]
    public void Draft_NoTarget_NamesAPlaceholderAndSaysSo()
    {
        var draft = Draft(Messy, new SchemaDraftOptions());

        Assert.Multiple(() =>
        {
            Assert.That(draft.Schema.Target.Column, Is.EqualTo("Outcome"));
            Assert.That(draft.Review[0], Does.StartWith("no target given (--target): the draft names 'Outcome', the last usable column, as a PLACEHOLDER target"));
            Assert.That(draft.Json, Does.Contain("//   - no target given"));
        });
    }

    [Test]
    public void Draft_FlambySplitRows_LoadsWithLoaderAndReadsEveryRow()
    {
        // Arrange: the bundled heart-disease rows with a header (samples/heart-disease/flamby_split_rows.csv).
        var path = Path.Combine(SampleData.HeartDiseaseDirectory, "flamby_split_rows.csv");

        // Act
        using var stream = File.OpenRead(path);
        var draft = SchemaDrafter.Draft(stream, "flamby_split_rows.csv", new SchemaDraftOptions { Target = "target", Identifiers = ["orig_row"] });
        var file = Path.Combine(Path.GetTempPath(), $"hfed-draft-{Guid.NewGuid():N}.schema.json");
        File.WriteAllText(file, draft.Json);
        ExtractSchema schema;
        try
        {
            schema = ExtractSchema.Load(file);
        }
        finally
        {
            File.Delete(file);
        }

        var table = ExtractLoader.LoadFile(path, schema);

        // Assert
        var columns = schema.Columns.ToDictionary(c => c.Name);
        Assert.Multiple(() =>
        {
            Assert.That(table.Rows, Is.EqualTo(740));
            Assert.That(schema.BadRows, Is.EqualTo(BadRowPolicy.Fail));
            Assert.That(columns["center"].Levels, Is.EqualTo(new[] { "cleveland", "hungarian", "switzerland", "va" }));
            Assert.That(columns["split"].Levels, Is.EqualTo(new[] { "test", "train" }));
            Assert.That(columns["sex"].Type, Is.EqualTo(ColumnType.Binary));
            Assert.That(columns["orig_row"].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(schema.Target.GreaterThan, Is.Zero);
            Assert.That(draft.Review, Has.Some.Contains("column 'cp': integer with 4 values (1.0, 2.0, 3.0, 4.0): drafted numeric; make it categorical if these are codes"));
        });
    }

    [Test]
    public void Draft_AdmissionsExport_DetectsSemicolonsAndLoadsEveryRow()
    {
        var path = Path.Combine(SampleData.HeartDiseaseDirectory, "..", "extract-example", "admissions-export.csv");
        using var stream = File.OpenRead(path);

        var draft = SchemaDrafter.Draft(stream, "admissions-export.csv", new SchemaDraftOptions { Target = "Outcome" });
        var table = ExtractLoader.LoadFile(path, draft.Schema);

        Assert.Multiple(() =>
        {
            Assert.That(draft.Schema.Delimiter, Is.EqualTo(";"));
            Assert.That(draft.Schema.Columns[0].Type, Is.EqualTo(ColumnType.Ignore));
            Assert.That(table.Rows, Is.EqualTo(draft.DataLines));
        });
    }

    [TestCase("", "data.csv:1:1: the file is empty", TestName = "Draft_EmptyFile_FailsNamingLineOne")]
    [TestCase("1,2,3\n4,5,6\n", "data.csv:1:1: the first line is all numbers, not a header", TestName = "Draft_NoHeader_FailsNamingLineOne")]
    [TestCase("a,b,c\n1,2,3\n4,5\n", "data.csv:3:1: expected 3 fields (as the header), found 2", TestName = "Draft_RaggedRow_FailsNamingItsLine")]
    [TestCase("a,b,c\n1,\"2,3\n", "data.csv:2:3: unterminated quoted field", TestName = "Draft_UnterminatedQuote_FailsNamingLineAndColumn")]
    [TestCase("a,b,a\n1,2,3\n", "data.csv:1:1: header column 3 is 'a' again", TestName = "Draft_RepeatedHeaderName_FailsNamingTheColumn")]
    public void Draft_BadInput_OneErrorNamingFileAndLine(string text, string expected)
    {
        var error = Assert.Throws<ExtractFormatException>(() => Draft(text, new SchemaDraftOptions()));

        Assert.That(error!.Error.ToRedactedString(), Does.StartWith(expected));
    }

    [Test]
    public void Draft_UnknownTarget_FailsListingTheColumns()
    {
        Assert.That(() => Draft(Messy, new SchemaDraftOptions { Target = "Died" }), Throws.TypeOf<SchemaException>().With.Message.EqualTo(
            "--target 'Died' is not a column of data.csv (columns: PatientId, Admitted, Age, Sex, Ward, Site, Cholesterol, Smoker, Outcome)"));
    }

    [Test]
    public void Draft_NoHeaderOption_NamesColumnsAndLoadsHeartDisease()
    {
        var path = Path.Combine(SampleData.HeartDiseaseDirectory, "processed.cleveland.data");
        using var stream = File.OpenRead(path);

        var draft = SchemaDrafter.Draft(stream, "processed.cleveland.data", new SchemaDraftOptions { Target = "col14", Header = false });
        var table = ExtractLoader.LoadFile(path, draft.Schema, draft.Schema.BadRows);

        Assert.Multiple(() =>
        {
            Assert.That(draft.Schema.Header, Is.False);
            Assert.That(draft.Schema.MissingTokens, Is.EqualTo(new[] { "?" }));
            Assert.That(table.Rows + table.Report.RowsRejected, Is.EqualTo(303));
        });
    }

    private static SchemaDraft Draft(string text, SchemaDraftOptions options) => SchemaDrafter.Draft(Stream(text), "data.csv", options);

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
