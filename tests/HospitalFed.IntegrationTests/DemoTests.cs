using System.Globalization;
using System.Text.RegularExpressions;

namespace HospitalFed.IntegrationTests;

/// <summary>`hfed demo` end to end: five real processes on loopback.</summary>
[TestFixture]
public sealed class DemoTests
{
    [Test]
    public async Task Demo_FreshRun_FederatedAccuracyAboveThresholdLogVerifiedNoProcessLeft()
    {
        // Arrange
        using var demo = new HfedProcess("demo");

        // Act
        var code = await demo.WaitAsync(TimeSpan.FromMinutes(3));

        // Assert
        var output = demo.Output;
        Assert.That(code, Is.Zero, output);
        var federated = Regex.Match(output, @"Federated \(this run, pairwise masking\)\s+(\d\.\d{3})\s+(\d\.\d{3})");
        Assert.That(federated.Success, Is.True, output);
        Assert.That(double.Parse(federated.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.75));
        Assert.That(output, Does.Contain("Pooled").And.Contain("Local (switzerland)"));
        Assert.That(output, Does.Match(@"round log: \d+ signed entries, .* verified"));
        Assert.That(output, Does.Match(@"tree heads: \d+ signed, [1-9]\d* countersignatures by sites; the last \(size \d+\) countersigned by \w+, \w+, \w+, \w+"));
        Assert.That(output, Does.Match(@"truncation and fork checks: active, against [1-9]\d* heads the sites exported .* is refused: truncation"));
        var pids = Regex.Match(output, @"pids ([\d, ]+)\)").Groups[1].Value.Split(", ").Select(int.Parse).ToList();
        Assert.That(pids, Has.Count.EqualTo(5));
        Assert.That(pids.Where(TestEnvironment.IsRunning), Is.Empty, "the demo left a process behind");
    }

    [Test]
    public async Task Demo_Ckks_FederatedAccuracyAboveThresholdLogVerifiedNoProcessLeft()
    {
        // Arrange
        using var demo = new HfedProcess("demo", "--protection", "ckks");

        // Act
        var code = await demo.WaitAsync(TimeSpan.FromMinutes(3));

        // Assert
        var output = demo.Output;
        Assert.That(code, Is.Zero, output);
        var federated = Regex.Match(output, @"Federated \(this run, CKKS\)\s+(\d\.\d{3})\s+(\d\.\d{3})");
        Assert.That(federated.Success, Is.True, output);
        Assert.That(double.Parse(federated.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.75));
        Assert.That(output, Does.Contain("round 21/21: training, encrypting"));
        Assert.That(output, Does.Match(@"round log: \d+ signed entries, .* verified"));
        var pids = Regex.Match(output, @"pids ([\d, ]+)\)").Groups[1].Value.Split(", ").Select(int.Parse).ToList();
        Assert.That(pids, Has.Count.EqualTo(5));
        Assert.That(pids.Where(TestEnvironment.IsRunning), Is.Empty, "the demo left a process behind");
    }
}
