namespace HospitalFed.Cli.Tests.Ledger;

/// <summary><c>hfed audit verify</c> and <c>report</c> on a simulated log of a plan with differential privacy.</summary>
public sealed class AuditPrivacyCommandTests
{
    private const string Spent = "spent epsilon 3 of 3 approved (delta 1e-5) over 3 rounds";
    private static TempDir _dir = null!;

    [OneTimeSetUp]
    public static async Task Simulate()
    {
        _dir = new TempDir();
        var result = await Hfed.RunAsync("audit", "simulate", "--out", _dir.Path, "--sites", "3", "--rounds", "4", "--dp-epsilon", "3");
        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("differential privacy at epsilon 3"));
    }

    [OneTimeTearDown]
    public static void Cleanup() => _dir.Dispose();

    [Test]
    public async Task Verify_DpLog_PrintsTheSpentAndApprovedEpsilon()
    {
        var result = await Verify(_dir["round-log.jsonl"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain($"privacy: {Spent}\n"));
        Assert.That(result.Out, Does.Contain("differential privacy").And.Contain("noise multiplier").And.Contain("(calibrated)"));
    }

    [Test]
    public async Task Verify_SpendEntryAltered_ExitsOneNamingTheEntry()
    {
        // Arrange: an auditor's copy where someone lowered the logged spend of the last round.
        var lines = await File.ReadAllLinesAsync(_dir["round-log.jsonl"]);
        var index = Array.FindLastIndex(lines, l => l.Contains("\"privacy-spend\"", StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThan(0));
        var at = lines[index].IndexOf("\"spentEpsilon\":", StringComparison.Ordinal) + "\"spentEpsilon\":".Length;
        lines[index] = lines[index][..at] + "0" + lines[index][(at + 1)..];
        await File.WriteAllTextAsync(_dir["altered.jsonl"], string.Join('\n', lines) + "\n");

        // Act
        var result = await Verify(_dir["altered.jsonl"]);

        // Assert
        Hfed.AssertOneLineFailure(result, $"verification FAILED at entry {index}:");
        Assert.That(result.Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Report_DpLog_ShowsTheSpendPerRound()
    {
        var result = await Hfed.RunAsync("audit", "report", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"], "--crl", _dir["consortium.crl.pem"], "--html", _dir["dp.html"]);
        var html = await File.ReadAllTextAsync(_dir["dp.html"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(html, Does.Contain(Spent).And.Contain("Privacy budget per round").And.Contain("spent epsilon per round"));
    }

    [TestCase("0")]
    [TestCase("101")]
    public async Task Simulate_DpEpsilonOutOfRange_OneLineFailure(string epsilon)
    {
        var result = await Hfed.RunAsync("audit", "simulate", "--out", _dir["bad"], "--dp-epsilon", epsilon);

        Hfed.AssertOneLineFailure(result, "--dp-epsilon must be a number in (0, 100]");
    }

    private static Task<(int Exit, string Out, string Err)> Verify(string log) =>
        Hfed.RunAsync("audit", "verify", log, "--root", _dir["root.cert.pem"], "--crl", _dir["consortium.crl.pem"]);
}
