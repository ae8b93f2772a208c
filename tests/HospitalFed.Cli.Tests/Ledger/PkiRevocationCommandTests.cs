using System.Security.Cryptography.X509Certificates;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Cli.Tests.Ledger;

/// <summary><c>hfed pki revoke</c> twice, <c>pki rotate</c> after a revoke, and a CRL an older hfed wrote with a serial twice.</summary>
[NonParallelizable]
public sealed class PkiRevocationCommandTests
{
    private const string Passphrase = "a long test passphrase";
    private static TempDir _dir = null!;
    private static string _pass = string.Empty;

    [OneTimeSetUp]
    public static async Task CreateCa()
    {
        _dir = new TempDir();
        _pass = _dir["pass.txt"];
        await File.WriteAllTextAsync(_pass, Passphrase + "\n");
        Assert.That((await Hfed.RunAsync("pki", "init", "--dir", _dir["ca"], "--name", "Test Root", "--passphrase-file", _pass)).Exit, Is.Zero);
    }

    [OneTimeTearDown]
    public static void Cleanup() => _dir.Dispose();

    [Test]
    public async Task PkiRevoke_Twice_SecondIsANoOpSayingSinceWhen()
    {
        var serial = await Enroll("site-d");
        var first = await Revoke("site-d");
        var crlAfterFirst = await File.ReadAllTextAsync(_dir["ca/consortium.crl.pem"]);

        var second = await Revoke("site-d");
        var crlAfterSecond = await File.ReadAllTextAsync(_dir["ca/consortium.crl.pem"]);
        var crl = await Hfed.RunAsync("pki", "crl", "--ca", _dir["ca"], "--passphrase-file", _pass);

        Assert.That(first.Exit, Is.Zero, first.Err);
        Assert.That(second.Exit, Is.Zero, second.Err);
        Assert.That(second.Out, Does.Match($@"^certificate site-d \(serial {serial}\) is already revoked since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ; CRL unchanged\n$"));
        Assert.That(crlAfterSecond, Is.EqualTo(crlAfterFirst));
        Assert.That(crl.Exit, Is.Zero, crl.Err);
    }

    [Test]
    public async Task PkiRotate_AfterRevoke_KeepsOneEntryAndSaysItWasAlreadyRevoked()
    {
        var serial = await Enroll("site-e");
        await Revoke("site-e");
        await Hfed.RunAsync("site", "init", "--name", "site-e", "--dir", _dir["site-e/new"]);

        var rotate = await Hfed.RunAsync("pki", "rotate", "--ca", _dir["ca"], "--cert", _dir["site-e/cert.pem"], "--csr", _dir["site-e/new/site-e.csr.pem"], "--out", _dir["site-e/new/cert.pem"], "--passphrase-file", _pass);
        var crl = await Hfed.RunAsync("pki", "crl", "--ca", _dir["ca"], "--passphrase-file", _pass);

        Assert.That(rotate.Exit, Is.Zero, rotate.Err);
        Assert.That(rotate.Out, Does.Contain($"old serial {serial} already revoked since"));
        Assert.That(crl.Exit, Is.Zero, crl.Err);
        Assert.That(ReadCrl().Entries.Count(e => e.SerialNumber == serial), Is.EqualTo(1));
    }

    [Test]
    public async Task PkiCrl_CrlListingASerialTwice_ReissuesItWithEachSerialOnce()
    {
        var serial = await Enroll("site-f");
        using var victim = X509Certificate2.CreateFromPem(File.ReadAllText(_dir["site-f/cert.pem"]));
        using (var ca = ConsortiumAuthority.Load(await File.ReadAllTextAsync(_dir["ca/root.cert.pem"]), await File.ReadAllTextAsync(_dir["ca/root.key.pem"]), Passphrase))
        {
            // What hfed before issue 12 wrote on a second 'pki revoke'.
            var legacy = ca.Publish(await File.ReadAllTextAsync(_dir["ca/consortium.crl.pem"]), b =>
            {
                b.AddEntry(victim, DateTimeOffset.UtcNow.AddMinutes(-10));
                b.AddEntry(victim, DateTimeOffset.UtcNow.AddMinutes(-5));
            });
            await File.WriteAllTextAsync(_dir["ca/consortium.crl.pem"], legacy);
        }

        var crl = await Hfed.RunAsync("pki", "crl", "--ca", _dir["ca"], "--passphrase-file", _pass);

        Assert.That(crl.Exit, Is.Zero, crl.Err);
        Assert.That(crl.Out, Does.Contain($"re-issued with each serial once: serial {serial} was listed more than once; it stays revoked from its earliest listed time"));
        Assert.That(ReadCrl().DuplicatedSerials, Is.Empty);
        Assert.That(ReadCrl().Entries.Count(e => e.SerialNumber == serial), Is.EqualTo(1));
    }

    private static async Task<string> Enroll(string name)
    {
        Assert.That((await Hfed.RunAsync("site", "init", "--name", name, "--dir", _dir[name])).Exit, Is.Zero);
        var sign = await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir[$"{name}/{name}.csr.pem"], "--role", "site", "--out", _dir[$"{name}/cert.pem"], "--passphrase-file", _pass);
        Assert.That(sign.Exit, Is.Zero, sign.Err);
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_dir[$"{name}/cert.pem"]));
        return certificate.SerialNumber;
    }

    private static Task<(int Exit, string Out, string Err)> Revoke(string name) =>
        Hfed.RunAsync("pki", "revoke", "--ca", _dir["ca"], "--cert", _dir[$"{name}/cert.pem"], "--passphrase-file", _pass);

    private static CertificateRevocationList ReadCrl()
    {
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(_dir["ca/root.cert.pem"]));
        return CertificateRevocationList.ParseAndVerify(File.ReadAllText(_dir["ca/consortium.crl.pem"]), root);
    }
}
