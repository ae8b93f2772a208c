using HospitalFed.Aggregator.Configuration;

namespace HospitalFed.Aggregator.Tests;

/// <summary>The aggregator config's optional dashboard and telemetry sections: bound when right, refused with the key named when wrong.</summary>
public sealed class AggregatorDashboardConfigTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("hfed-dash-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Load_NoDashboardSection_ServesNone()
    {
        // Act
        var config = AggregatorConfig.Load(Write(""));

        // Assert
        Assert.That(config.Dashboard, Is.Null);
        Assert.That(config.Telemetry, Is.Null);
    }

    [Test]
    public void Load_DashboardSection_BindsItAndMakesOptionsFromTheAggregatorsFiles()
    {
        // Act
        var config = AggregatorConfig.Load(Write(""","dashboard": { "port": 7444, "bindAddress": "0.0.0.0", "publicOrigin": "https://agg.example.org:7444", "keepServingAfterPlan": true }"""));
        var options = config.Dashboard!.ToOptions(config);

        // Assert
        Assert.That(config.Dashboard.KeepServingAfterPlan, Is.True);
        Assert.That(options.Port, Is.EqualTo(7444));
        Assert.That(options.BindAddress, Is.EqualTo("0.0.0.0"));
        Assert.That(options.Origin, Is.EqualTo("https://agg.example.org:7444"));
        Assert.That(options.Certificate, Is.EqualTo(Path.Combine(_directory, "aggregator.cert.pem")));
        Assert.That(options.Crl, Is.EqualTo(Path.Combine(_directory, "consortium.crl.pem")));
        Assert.That(options.Log, Is.EqualTo(Path.Combine(_directory, "round-log.db")));
    }

    [TestCase(""","dashboard": { "bindAddress": "127.0.0.1" }""", "key \"dashboard.port\" is missing")]
    [TestCase(""","dashboard": { "port": 7443 }""", "key \"dashboard.port\" must differ from \"port\"")]
    [TestCase(""","dashboard": { "port": 70000 }""", "key \"dashboard.port\" must be a TCP port")]
    [TestCase(""","dashboard": { "port": 7444, "bindAddress": "localhost" }""", "key \"dashboard.bindAddress\" must be an IP address")]
    [TestCase(""","dashboard": { "port": 7444, "publicOrigin": "http://agg.example.org:7444" }""", "key \"dashboard.publicOrigin\"")]
    [TestCase(""","dashboard": { "port": 7444, "keepServingAfterPlan": "yes" }""", "key \"dashboard.keepServingAfterPlan\" must be true or false")]
    [TestCase(""","dashboard": { "port": 7444, "colour": "blue" }""", "unknown key \"dashboard.colour\"")]
    [TestCase(""","dashboard": 7444""", "key \"dashboard\" must be an object of settings")]
    [TestCase(""","telemetry": { "enabled": true }""", "key \"telemetry.otlpEndpoint\" is missing")]
    [TestCase(""","telemetry": { "otlpEndpoint": "http://127.0.0.1:4317", "otlpProtocol": "udp" }""", "key \"telemetry.otlpProtocol\" must be \"grpc\" or \"http/protobuf\"")]
    public void Load_BadSection_IsRefusedNamingTheKey(string section, string expected)
    {
        // Act
        var ex = Assert.Throws<InvalidDataException>(() => AggregatorConfig.Load(Write(section)));

        // Assert
        Assert.That(ex!.Message, Does.StartWith(Path.Combine(_directory, "aggregator.json")).And.Contain(expected));
    }

    [Test]
    public void Load_DashboardWithoutCrl_IsRefused()
    {
        // Act
        var ex = Assert.Throws<InvalidDataException>(() => AggregatorConfig.Load(Write(""","dashboard": { "port": 7444 }""", crl: false)));

        // Assert
        Assert.That(ex!.Message, Does.Contain("key \"dashboard\" needs key \"crl\""));
    }

    private string Write(string extra, bool crl = true)
    {
        var path = Path.Combine(_directory, "aggregator.json");
        File.WriteAllText(path, $$"""
            {
              "port": 7443,
              "certificate": "aggregator.cert.pem",
              "key": "aggregator.key.pem",
              "root": "root.cert.pem",
              {{(crl ? "\"crl\": \"consortium.crl.pem\"," : "")}}
              "consortium": "consortium.json",
              "plan": "plan.json",
              "approvals": ["a.approval"],
              "schema": "schema.json",
              "log": "round-log.db",
              "sites": ["a", "b", "c"]
              {{extra}}
            }
            """);
        return path;
    }
}
