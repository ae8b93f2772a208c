using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Tests.Data;

public sealed class ExtractSchemaTests
{
    [TestCase("""{ "columns": [ { "name": "a" } ], "target": { "column": "z", "greaterThan": 0 } }""", "target.column 'z'")]
    [TestCase("""{ "columns": [ { "name": "a" }, { "name": "a" } ], "target": { "column": "a", "greaterThan": 0 } }""", "unique")]
    [TestCase("""{ "columns": [ { "name": "a", "type": "categorical", "levels": ["x"] }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""", "two distinct levels")]
    [TestCase("""{ "columns": [ { "name": "a", "minimum": 5, "maximum": 1 }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""", "exceeds maximum")]
    [TestCase("""{ "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y" } }""", "exactly one of")]
    [TestCase("""{ "columns": [ { "name": "a", "typo": 1 }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""", "typo")]
    [TestCase("""{ "columns": [ { "name": "a", "missing": "sometimes" } ], "target": { "column": "a", "greaterThan": 0 } }""", "$.columns[0].missing")]
    [TestCase("""{ "columns": [ { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""", "no feature column")]
    public void Parse_InvalidSchema_ThrowsNamingTheProblem(string json, string expected)
    {
        // Act / Assert
        Assert.That(() => ExtractSchema.Parse(json), Throws.TypeOf<SchemaException>().With.Message.Contains(expected));
    }

    [TestCase("\"fail\"", BadRowPolicy.Fail)]
    [TestCase("\"skip\"", BadRowPolicy.Reject)]
    public void Parse_BadRowsMember_SetsThePolicy(string value, BadRowPolicy expected)
    {
        // Arrange
        var json = $$"""{ "badRows": {{value}}, "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""";

        // Act
        var schema = ExtractSchema.Parse(json);

        // Assert
        Assert.That(schema.BadRows, Is.EqualTo(expected));
    }

    [TestCase(null, new[] { true, true, true, true })]
    [TestCase("\"all\"", new[] { true, true, true, true })]
    [TestCase("\"numeric\"", new[] { true, false, false, false })]
    [TestCase("\"none\"", new[] { false, false, false, false })]
    public void Parse_StandardizeMember_DecidesWhichFeaturesThePipelineStandardises(string? value, bool[] expected)
    {
        // Arrange: a numeric, a binary and a three-level one-hot column (two features after dropping the first level).
        var member = value is null ? string.Empty : $"\"standardize\": {value}, ";
        var json = $$"""{ {{member}}"columns": [ { "name": "age" }, { "name": "sex", "type": "binary" }, { "name": "cp", "type": "categorical", "levels": ["1", "2", "3"], "dropFirstLevel": true }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""";

        // Act
        var pipeline = new HospitalFed.Learning.Features.FeaturePipeline(ExtractSchema.Parse(json));

        // Assert: without the member every feature is standardised (a 0/1 column left uncentred slows federated SGD).
        Assert.That(pipeline.Features.Select(f => f.Standardized), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_NoBadRowsMember_DefaultsToFail()
    {
        // Act
        var schema = ExtractSchema.Parse("""{ "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""");

        // Assert
        Assert.That(schema.BadRows, Is.EqualTo(BadRowPolicy.Fail));
    }

    [TestCase("\"ignore\"")]
    [TestCase("\"reject\"")]
    [TestCase("1")]
    public void Parse_UnknownBadRowsValue_ThrowsNamingTheMember(string value)
    {
        // Arrange
        var json = $$"""{ "badRows": {{value}}, "columns": [ { "name": "a" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }""";

        // Act / Assert
        Assert.That(() => ExtractSchema.Parse(json), Throws.TypeOf<SchemaException>().With.Message.Contains("$.badRows"));
    }

    [Test]
    public void Load_HeartDiseaseSampleSchema_HasThirteenFeatures()
    {
        // Arrange
        var schema = ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, "heart-disease.schema.json"));

        // Act
        var names = new HospitalFed.Learning.Features.FeaturePipeline(schema).FeatureNames;

        // Assert: FLamby's order: cp and restecg one-hot without their first level.
        Assert.That(names, Is.EqualTo(new[]
        {
            "age", "sex", "cp=2", "cp=3", "cp=4", "trestbps", "chol", "fbs", "restecg=1", "restecg=2", "thalach", "exang", "oldpeak",
        }));
    }
}
