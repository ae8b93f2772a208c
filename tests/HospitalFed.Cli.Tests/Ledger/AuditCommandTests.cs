namespace HospitalFed.Cli.Tests.Ledger;

/// <summary><c>hfed audit</c> on a simulated consortium's log: clean, tampered, truncated, and the HTML report.</summary>
public sealed class AuditCommandTests
{
    private static TempDir _dir = null!;

    [OneTimeSetUp]
    public static async Task Simulate()
    {
        _dir = new TempDir();
        var result = await Hfed.RunAsync("audit", "simulate", "--out", _dir.Path, "--sites", "3", "--rounds", "2");
        Assert.That(result.Exit, Is.Zero, result.Err);
    }

    [OneTimeTearDown]
    public static void Cleanup() => _dir.Dispose();

    [Test]
    public async Task Verify_UntouchedLog_ExitsZeroWithSummary()
    {
        var result = await Verify(_dir["round-log.jsonl"], "--head", _dir["site-heads.jsonl"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Err, Is.Empty);
        Assert.That(result.Out, Does.Contain("rounds completed").And.Contain("2 of 2").And.Contain("verified:"));
        Assert.That(result.Out, Does.Contain("privacy: none\n"));
    }

    [Test]
    public async Task Verify_FlippedByte_ExitsOneNamingTheEntry()
    {
        var bytes = await File.ReadAllBytesAsync(_dir["round-log.jsonl"]);
        var secondLine = Array.IndexOf(bytes, (byte)'\n') + 1;
        bytes[secondLine + 40] ^= 0x04;
        await File.WriteAllBytesAsync(_dir["flipped.jsonl"], bytes);

        var result = await Verify(_dir["flipped.jsonl"]);

        Hfed.AssertOneLineFailure(result, "verification FAILED at entry 1:");
        Assert.That(result.Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Verify_TruncatedLogWithSiteHeads_ExitsOneNamingTruncation()
    {
        var lines = await File.ReadAllLinesAsync(_dir["round-log.jsonl"]);
        await File.WriteAllLinesAsync(_dir["truncated.jsonl"], lines.Take(lines.Length - 5));

        var result = await Verify(_dir["truncated.jsonl"], "--head", _dir["site-heads.jsonl"]);

        Hfed.AssertOneLineFailure(result, "truncation");
    }

    [Test]
    public async Task Verify_MissingRootFile_OneLineFailure()
    {
        var result = await Hfed.RunAsync("audit", "verify", _dir["round-log.jsonl"], "--root", _dir["nope.pem"], "--crl", _dir["consortium.crl.pem"]);

        Hfed.AssertOneLineFailure(result, "cannot read certificate");
        Assert.That(result.Exit, Is.EqualTo(2));
    }

    [Test]
    public async Task Verify_WithoutCrl_FailsNamingBothOptions()
    {
        var result = await Hfed.RunAsync("audit", "verify", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"]);

        Hfed.AssertOneLineFailure(result, "revocation cannot be checked without the consortium CRL: pass --crl FILE, or --no-revocation-check");
        Assert.That(result.Exit, Is.EqualTo(2));
        Assert.That(result.Out, Does.Not.Contain("verified:"));
    }

    [Test]
    public async Task Verify_NoRevocationCheckGiven_VerifiesAndSaysRevocationWasNotChecked()
    {
        var result = await Hfed.RunAsync("audit", "verify", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"], "--no-revocation-check");

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("NOT checked (--no-revocation-check)").And.Contain("verified:").And.Contain("revocation NOT checked"));
    }

    [Test]
    public async Task Verify_CrlAndNoRevocationCheck_OneLineFailure()
    {
        var result = await Verify(_dir["round-log.jsonl"], "--no-revocation-check");

        Hfed.AssertOneLineFailure(result, "--crl and --no-revocation-check exclude each other");
    }

    [Test]
    public async Task Report_WithoutCrl_FailsNamingBothOptions()
    {
        var result = await Hfed.RunAsync("audit", "report", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"], "--html", _dir["no-crl.html"]);

        Hfed.AssertOneLineFailure(result, "pass --crl FILE, or --no-revocation-check");
        Assert.That(File.Exists(_dir["no-crl.html"]), Is.False);
    }

    [Test]
    public async Task Report_NoRevocationCheckGiven_ReportAndOutputSayRevocationWasNotChecked()
    {
        var result = await Hfed.RunAsync("audit", "report", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"], "--no-revocation-check", "--html", _dir["unchecked.html"]);
        var html = await File.ReadAllTextAsync(_dir["unchecked.html"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("(log verified, revocation NOT checked)"));
        Assert.That(html, Does.Contain("<th>Revocation</th><td>NOT checked (--no-revocation-check)</td>"));
    }

    [Test]
    public async Task Verify_NotALog_OneLineFailure()
    {
        await File.WriteAllTextAsync(_dir["garbage.jsonl"], "hello\nworld\n");

        var result = await Verify(_dir["garbage.jsonl"]);

        Hfed.AssertOneLineFailure(result, "entry 0: format");
    }

    [Test]
    public async Task Report_UntouchedLog_WritesSelfContainedHtmlWithSvgCharts()
    {
        var result = await Hfed.RunAsync("audit", "report", _dir["round-log.jsonl"], "--root", _dir["root.cert.pem"], "--crl", _dir["consortium.crl.pem"], "--html", _dir["report.html"]);
        var html = await File.ReadAllTextAsync(_dir["report.html"]);

        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("accuracy").And.Contain("Timeline"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("src=\"http"));
    }

    private static Task<(int Exit, string Out, string Err)> Verify(string log, params string[] extra) =>
        Hfed.RunAsync(["audit", "verify", log, "--root", _dir["root.cert.pem"], "--crl", _dir["consortium.crl.pem"], .. extra]);
}
