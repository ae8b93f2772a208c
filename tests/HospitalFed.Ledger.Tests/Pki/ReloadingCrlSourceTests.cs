using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Ledger.Tests.Pki;

public sealed class ReloadingCrlSourceTests
{
    private ConsortiumAuthority _ca = null!;
    private X509Certificate2 _site = null!;
    private string _directory = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        _site = _ca.Issue(SiteEnrollment.CreateRequest("site-a").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));
        _directory = Directory.CreateTempSubdirectory("hfed-crl-").FullName;
        _path = Path.Combine(_directory, "crl.pem");
        File.WriteAllText(_path, _ca.Publish(null));
    }

    [TearDown]
    public void TearDown()
    {
        _site.Dispose();
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void Refresh_FileUnchanged_ReportsNothing()
    {
        var source = new ReloadingCrlSource(_path, _ca.Certificate);

        var reload = source.Refresh();

        Assert.That(reload, Is.EqualTo(CrlReload.Unchanged));
    }

    [Test]
    public void Refresh_CaRevokedASite_TakesTheNewCrlAndNamesTheSerial()
    {
        var source = new ReloadingCrlSource(_path, _ca.Certificate);
        var now = DateTimeOffset.UtcNow;
        Assert.That(source.IsRevoked(_site, now.AddMinutes(1)), Is.False);

        Replace(_ca.Revoke(File.ReadAllText(_path), _site));
        var reload = source.Refresh();

        Assert.That(reload.Changed, Is.True);
        Assert.That(reload.Error, Is.Null);
        Assert.That(reload.NewlyRevoked.Select(e => e.SerialNumber), Is.EqualTo(new[] { _site.SerialNumber }));
        Assert.That(source.IsRevoked(_site, now.AddMinutes(1)), Is.True, "revoked from its revocation time on");
        Assert.That(source.IsRevoked(_site, now.AddMinutes(-1)), Is.False, "what it did before stays valid");
        Assert.That(source.Refresh(), Is.EqualTo(CrlReload.Unchanged), "taken once");
    }

    [Test]
    public void Refresh_BadlySignedCrl_KeepsTheLastGoodOneAndNamesTheFile()
    {
        Replace(_ca.Revoke(File.ReadAllText(_path), _site));
        var source = new ReloadingCrlSource(_path, _ca.Certificate);
        using var other = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));

        Replace(other.Publish(null));
        var reload = source.Refresh();

        Assert.That(reload.Changed, Is.False);
        Assert.That(reload.Error, Does.Contain(_path).And.Contain("signature does not verify"));
        Assert.That(source.IsRevoked(_site, DateTimeOffset.UtcNow.AddMinutes(1)), Is.True, "the revocation is not dropped");
    }

    [Test]
    public void Refresh_UnreadableOrGarbledFile_KeepsTheLastGoodOne()
    {
        Replace(_ca.Revoke(File.ReadAllText(_path), _site));
        var source = new ReloadingCrlSource(_path, _ca.Certificate);

        Replace("not a CRL");
        var garbled = source.Refresh();
        File.Delete(_path);
        var missing = source.Refresh();

        Assert.That(garbled.Error, Does.Contain(_path).And.Contain("X509 CRL"));
        Assert.That(missing.Error, Does.Contain(_path).And.Contain("cannot be read"));
        Assert.That(source.IsRevoked(_site, DateTimeOffset.UtcNow.AddMinutes(1)), Is.True);
    }

    [Test]
    public void Refresh_OlderCrlDroppingARevocation_IsRefused()
    {
        var empty = File.ReadAllText(_path);
        Replace(_ca.Revoke(empty, _site));
        var source = new ReloadingCrlSource(_path, _ca.Certificate);

        Replace(empty);
        var rolledBack = source.Refresh();
        Replace(_ca.Publish(empty)); // newer number, but without the revocation
        var dropped = source.Refresh();

        Assert.That(rolledBack.Error, Does.Contain("CRL number 1 is older than the one in force (2)"));
        Assert.That(dropped.Error, Does.Contain($"drops the revocation of serial {_site.SerialNumber}"));
        Assert.That(source.IsRevoked(_site, DateTimeOffset.UtcNow.AddMinutes(1)), Is.True);
    }

    [Test]
    public void Constructor_MissingFile_NamesTheFile()
    {
        var ex = Assert.Throws<PkiException>(() => _ = new ReloadingCrlSource(Path.Combine(_directory, "absent.pem"), _ca.Certificate));

        Assert.That(ex!.Message, Does.Contain("absent.pem").And.Contain("cannot be read"));
    }

    /// <summary>Replaces the file as a copy tool would, with a modification time that certainly differs.</summary>
    private void Replace(string text)
    {
        var before = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
        File.WriteAllText(_path, text);
        if (File.GetLastWriteTimeUtc(_path) == before)
        {
            File.SetLastWriteTimeUtc(_path, before.AddSeconds(1));
        }
    }
}
