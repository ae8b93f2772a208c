using System.Text;
using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Tests.Data;

public sealed class ExtractLoaderTests
{
    [Test]
    public void Load_ValidRows_ReadsFeaturesTargetsAndLines()
    {
        // Arrange
        const string text = "63.0,1,1.0,x,0\r\n\r\n41,0,3,\"a, b\",2\n";

        // Act
        var table = TestSchemas.Load("\uFEFF" + text, TestSchemas.Small());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Values, Is.EqualTo(new float[] { 63, 1, 0, 41, 0, 2 }));
            Assert.That(table.Targets, Is.EqualTo(new float[] { 0, 1 }));
            Assert.That(table.SourceLines, Is.EqualTo(new[] { 1, 3 }));
            Assert.That(table.Report.BlankLines, Is.EqualTo(1));
        });
    }

    [TestCase("63,1,1,x\n", 1, 9, "expected 5 fields, found 4")]
    [TestCase("63,1,1,x,0\n63,1,1,x,0,9\n", 2, 12, "expected 5 fields, found 6")]
    [TestCase("63,1,1,x,0\n6x3,1,1,x,0\n", 2, 1, "column 'age': is not a number (value \"6x3\")")]
    [TestCase("63,1,1,x,0\n63,1,1,x,0\n150,1,1,x,0\n", 3, 1, "column 'age': is outside the valid range [0, 120] (value \"150\")")]
    [TestCase("63,2,1,x,0\n", 1, 4, "column 'sex': is not 0 or 1 (value \"2\")")]
    [TestCase("63,1,4,x,0\n", 1, 6, "column 'cp': is not one of the levels 1, 2, 3 (value \"4\")")]
    [TestCase("?,1,1,x,0\n", 1, 1, "column 'age': missing value")]
    [TestCase("63,1,1,x,?\n", 1, 10, "column 'y': the target is missing")]
    [TestCase("63,1,1,\"x,0\n", 1, 8, "unterminated quoted field")]
    public void Load_MalformedRow_NamesFileLineColumnAndValue(string text, int line, int column, string message)
    {
        // Arrange
        var schema = TestSchemas.Small();

        // Act
        var error = Assert.Throws<ExtractFormatException>(() => TestSchemas.Load(text, schema))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"site.csv:{line}:{column}: "));
            Assert.That(error.Message, Does.Contain(message));
            Assert.That((error.Error.Line, error.Error.Column), Is.EqualTo((line, column)));
        });
    }

    [Test]
    public void Load_InvalidUtf8_NamesTheByteAndItsColumn()
    {
        // Arrange: "é" is two bytes, so the bad byte 0xFF after "63,é," is character 6 of line 2.
        var bytes = Encoding.UTF8.GetBytes("63,1,1,x,0\n63,é,1,x,0\n").ToList();
        bytes.Insert(11 + 6, 0xFF);

        // Act
        var error = Assert.Throws<ExtractFormatException>(() => TestSchemas.Load([.. bytes], TestSchemas.Small()))!;

        // Assert
        Assert.That(error.Message, Is.EqualTo("site.csv:2:6: invalid UTF-8 (value 0xFF312C78)"));
    }

    [Test]
    public void Load_RejectPolicy_CountsReportsAndKeepsEveryValidRow()
    {
        // Arrange: rows 2 (count), 3 (non-numeric), 5 (range) and 6 (encoding) are bad.
        var bytes = Encoding.UTF8.GetBytes("50,1,1,x,1\n51,1,1\n5z,1,1,x,0\n53,0,2,x,0\n999,0,2,x,0\n5\u00004,0,2,x,0\n55,1,3,x,1\n").ToList();
        bytes[bytes.LastIndexOf(0)] = 0xC3;

        // Act
        var table = TestSchemas.Load([.. bytes], TestSchemas.Small(), BadRowPolicy.Reject);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Report.RowsRejected, Is.EqualTo(4));
            Assert.That(table.Report.RowsAccepted, Is.EqualTo(3));
            Assert.That(table.Report.DataLines, Is.EqualTo(7));
            Assert.That(table.SourceLines, Is.EqualTo(new[] { 1, 4, 7 }));
            Assert.That(table.Report.Errors.Select(e => e.Line), Is.EqualTo(new[] { 2, 3, 5, 6 }));
            Assert.That(table.Report.Errors[3].Reason, Is.EqualTo("invalid UTF-8"));
        });
    }

    [Test]
    public void Load_DropRowPolicy_CountsDroppedRowsPerColumn()
    {
        // Arrange
        var schema = TestSchemas.Small(missing: "dropRow");

        // Act
        var table = TestSchemas.Load("?,1,1,x,1\n40,1,1,x,0\nNA,0,2,x,0\n", schema);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Rows, Is.EqualTo(1));
            Assert.That(table.Report.RowsDropped, Is.EqualTo(2));
            Assert.That(table.Report.DroppedForMissing, Is.EqualTo(new Dictionary<string, int> { ["age"] = 2 }));
            Assert.That(table.Report.ToString(), Does.Contain("2 dropped for missing values (age: 2)"));
        });
    }

    [Test]
    public void Load_Sentinel_IsTreatedAsMissing()
    {
        // Arrange
        var schema = ExtractSchema.Parse("""
            { "columns": [ { "name": "chol", "sentinels": [0], "missing": "impute" }, { "name": "y" } ],
              "target": { "column": "y", "positiveValues": ["yes"] } }
            """);

        // Act
        var table = TestSchemas.Load("0,yes\n200,no\n", schema);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(float.IsNaN(table.Values[0]), Is.True);
            Assert.That(table.Values[1], Is.EqualTo(200));
            Assert.That(table.Targets, Is.EqualTo(new float[] { 1, 0 }));
        });
    }

    [Test]
    public void Load_MulticlassTarget_MapsLevelsToClassIndices()
    {
        // Arrange
        var schema = ExtractSchema.Parse("""
            { "header": true, "columns": [ { "name": "x" }, { "name": "stage", "type": "ignore" }, { "name": "grade" } ],
              "target": { "column": "grade", "kind": "multiclass", "classes": ["low", "mid", "high"] } }
            """);

        // Act
        var table = TestSchemas.Load("x,stage,grade\n1,a,high\n2,b,low\n3,c,mid\n", schema);
        var error = Assert.Throws<ExtractFormatException>(() => TestSchemas.Load("x,stage,grade\n1,a,severe\n", schema))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Targets, Is.EqualTo(new float[] { 2, 0, 1 }));
            Assert.That(error.Message, Is.EqualTo("site.csv:2:5: column 'grade': is not one of the target classes low, mid, high (value \"severe\")"));
        });
    }

    [Test]
    public void Load_HeaderMismatch_NamesTheColumn()
    {
        // Arrange
        var schema = TestSchemas.Small(header: "true");

        // Act
        var error = Assert.Throws<ExtractFormatException>(() => TestSchemas.Load("age,sex,chest,note,y\n1,1,1,x,0\n", schema))!;

        // Assert
        Assert.That(error.Message, Is.EqualTo("site.csv:1:9: header column 3 should be 'cp' (value \"chest\")"));
    }

    [Test]
    public void Load_TabSeparated_ReadsFields()
    {
        // Arrange
        var schema = ExtractSchema.Parse("""
            { "delimiter": "\t", "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0.5 } }
            """);

        // Act
        var table = TestSchemas.Load("1.5\t1\n-.5\t0\n", schema);

        // Assert
        Assert.That(table.Values, Is.EqualTo(new float[] { 1.5f, -0.5f }));
    }

    [Test]
    public void Load_LargeExtract_AllocatesInProportionToTheFeatureMatrixNotTheFile()
    {
        // Arrange: 200,000 rows of ~170 bytes, of which two features and a target are kept.
        const int rows = 200_000;
        var schema = ExtractSchema.Parse("""
            { "columns": [ { "name": "a" }, { "name": "b" }, { "name": "pad", "type": "ignore" }, { "name": "y" } ],
              "target": { "column": "y", "greaterThan": 0 } }
            """);
        using var stream = new GeneratedExtract(rows, "12.5,7," + new string('p', 150) + ",1\n");

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = ExtractLoader.Load(stream, "big.csv", schema);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: kept data is 16 bytes a row (2 features, target, line); the file is ~170 bytes a row.
        Assert.Multiple(() =>
        {
            Assert.That(table.Rows, Is.EqualTo(rows));
            Assert.That(allocated, Is.LessThan(5L * 16 * rows));
            Assert.That(allocated, Is.LessThan(stream.Length / 2));
        });
    }

    [Test]
    public void Load_CancelledToken_StopsTheLoad()
    {
        // Arrange
        var schema = ExtractSchema.Parse("""
            { "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }
            """);
        using var stream = new GeneratedExtract(100_000, "1,1\n");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        // Act / Assert
        Assert.That(() => ExtractLoader.Load(stream, "big.csv", schema, BadRowPolicy.Fail, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>A read-only stream that repeats one line without ever materialising the file.</summary>
    private sealed class GeneratedExtract(int rows, string line) : Stream
    {
        private readonly byte[] _line = Encoding.UTF8.GetBytes(line);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => (long)rows * _line.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < Length)
            {
                buffer[offset + written++] = _line[_position++ % _line.Length];
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
