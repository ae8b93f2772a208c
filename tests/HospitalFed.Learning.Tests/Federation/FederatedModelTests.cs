using System.Text.Json.Nodes;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Tests.Federation;

public sealed class FederatedModelTests
{
    [Test]
    public void Parse_Mlp_BuildsTheMillionParameterNetworkWithTheCountItPredicts()
    {
        // Arrange
        var node = JsonNode.Parse("""{"kind":"mlp","hiddenLayers":[1024,512]}""");

        // Act
        var spec = FederatedModel.Parse(node);
        var model = spec.Create(512);

        // Assert: 512 -> 1024 -> 512 -> 1 is the benchmarks' 1,050,625-parameter MLP.
        Assert.That(spec.Kind, Is.EqualTo(ModelKind.Mlp));
        Assert.That(spec.HiddenLayers, Is.EqualTo(new[] { 1024, 512 }));
        Assert.That(spec.ParameterCount(512), Is.EqualTo(1_050_625));
        Assert.That(model, Is.InstanceOf<MultilayerPerceptron<float>>());
        Assert.That(model.Layout.Count, Is.EqualTo(1_050_625));
    }

    [Test]
    public void Parse_LogisticWithDescriptiveLayers_IsRefusedAsUnknownField()
    {
        // Arrange: older plans carried a "layers" member nothing read; a signed plan may not hold one.
        var node = JsonNode.Parse("""{"kind":"logistic","layers":[6,1]}""");

        // Act
        var refusal = Assert.Throws<FormatException>(() => FederatedModel.Parse(node));

        // Assert
        Assert.That(refusal!.Message, Does.StartWith("plan field 'model.layers' is not a known field"));
    }

    [TestCase("""[1]""", "'model'")]
    [TestCase("""{"layers":[6,1]}""", "'model.kind'")]
    [TestCase("""{"kind":"cox"}""", "'model.kind'")]
    [TestCase("""{"kind":"mlp"}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":"64"}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[64,"32"]}""", "'model.hiddenLayers[1]'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[64,65537]}""", "'model.hiddenLayers[1]'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[-3]}""", "'model.hiddenLayers[0]'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[8],"activation":"tanh"}""", "'model.activation'")]
    public void Parse_InvalidModel_RefusedNamingTheField(string json, string field)
    {
        // Arrange
        var node = JsonNode.Parse(json);

        // Act
        var refusal = Assert.Throws<FormatException>(() => FederatedModel.Parse(node));

        // Assert
        Assert.That(refusal!.Message, Does.Contain(field));
    }

    [Test]
    public void Create_MoreThanTheMaximumParameters_RefusedNamingHiddenLayers()
    {
        // Arrange: 8192 x 8192 alone is 2^26 weights.
        var spec = FederatedModel.Parse(JsonNode.Parse("""{"kind":"mlp","hiddenLayers":[8192,8192]}"""));

        // Act
        var refusal = Assert.Throws<FormatException>(() => spec.Create(16));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("'model.hiddenLayers'").And.Contain("parameters"));
    }
}
