using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Simulation;

/// <summary>The consortium written to disk is what production reads back: every check here starts from the files alone.</summary>
public sealed class ConsortiumDirectoryTests
{
    private DirectoryInfo _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("hfed-consortium-directory-");

    [TearDown]
    public void DeleteDirectory() => _directory.Delete(recursive: true);

    [Test]
    public void Create_NewDirectory_WritesRootCrlAndCaSignedConfig()
    {
        // Arrange
        var path = Path.Combine(_directory.FullName, "consortium");

        // Act
        using var files = ConsortiumDirectory.Create(path, admins: 3, threshold: 2);

        // Assert
        var root = Root(files);
        Assert.That(root.RawData, Is.EqualTo(files.Consortium.Root.RawData));
        var config = ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(files.PathOf(ConsortiumDirectory.ConsortiumFile))), root);
        Assert.That(config.Admins, Is.EqualTo(new[] { "admin-1", "admin-2", "admin-3" }));
        Assert.That(config.ApprovalThreshold, Is.EqualTo(2));
        Assert.That(Revocation(files, root).IsRevoked(files.Consortium.Admins[0].Certificate, DateTimeOffset.UtcNow), Is.False);
    }

    [Test]
    public void Approve_DefaultCount_WritesCanonicalPlanAndThresholdApprovalsThatVerify()
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName, admins: 3, threshold: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 4);

        // Act
        var approvals = files.Approve(plan);

        // Assert
        Assert.That(approvals, Is.EqualTo(new[] { "admin-1.approval", "admin-2.approval" }));
        Assert.That(File.Exists(files.PathOf("admin-3.approval")), Is.False);
        Assert.That(TrainingPlan.Parse(File.ReadAllBytes(files.PathOf(ConsortiumDirectory.PlanFile))).Id, Is.EqualTo(plan.Id));
        var outcome = Policy(files).Evaluate(plan.Id, 0, approvals.Select(a => ReadApproval(files, a)), DateTimeOffset.UtcNow);
        Assert.That(outcome.Approved, Is.True);
        Assert.That(outcome.Approvers, Is.EqualTo(new[] { "admin-1", "admin-2" }));
    }

    [Test]
    public void Revoke_ManyCertificatesIssuedFirst_RevocationIsInForceNowNotInTheSimulatedFuture()
    {
        // Arrange: every read of the simulation clock moves it a second ahead; the CA of files
        // that real processes read must date by the real clock instead.
        using var files = ConsortiumDirectory.Create(_directory.FullName);
        for (var i = 0; i < 12; i++)
        {
            files.Issue($"site-{i:D2}", ConsortiumRole.Site);
        }

        var root = Root(files);
        var victim = X509Certificate2.CreateFromPem(File.ReadAllText(files.PathOf("site-00.cert.pem")));

        // Act
        var crl = files.Consortium.Authority.Revoke(File.ReadAllText(files.PathOf(ConsortiumDirectory.CrlFile)), victim, X509RevocationReason.KeyCompromise);
        var now = DateTimeOffset.UtcNow;

        // Assert
        Assert.That(CrlRevocationSource.FromPem(crl, root).IsRevoked(victim, now), Is.True);
        Assert.That(victim.NotBefore, Is.LessThanOrEqualTo(now.UtcDateTime.ToLocalTime()));
    }

    [Test]
    public void Approve_OneOfTwoRequired_IsNotEnough()
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName);
        var plan = ConsortiumSimulation.Plan();

        // Act
        var approvals = files.Approve(plan, approvals: 1);

        // Assert
        Assert.That(approvals, Is.EqualTo(new[] { "admin-1.approval" }));
        Assert.That(Policy(files).Evaluate(plan.Id, 0, approvals.Select(a => ReadApproval(files, a)), DateTimeOffset.UtcNow).Approved, Is.False);
    }

    [Test]
    public void Approve_OneBitFlippedInSignature_ApprovalIsRefused()
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName);
        var plan = ConsortiumSimulation.Plan();
        var approval = files.Approve(plan)[0];
        var line = File.ReadAllText(files.PathOf(approval));
        var start = line.IndexOf("\"sig\":\"", StringComparison.Ordinal) + 7;
        var end = line.IndexOf('"', start);
        var signature = Convert.FromBase64String(line[start..end]);
        signature[7] ^= 0x01; // same length in base64, so the line stays canonical and only the signature is wrong
        File.WriteAllText(files.PathOf(approval), line[..start] + Convert.ToBase64String(signature) + line[end..]);

        // Act
        var reason = Policy(files).Check(ReadApproval(files, approval), plan.Id, 0, DateTimeOffset.UtcNow);

        // Assert
        Assert.That(reason, Does.Contain("signature"));
    }

    [TestCase("aggregator", ConsortiumRole.Aggregator)]
    [TestCase("site-01", ConsortiumRole.Site)]
    public void Issue_Party_CertificateChainsToRootWithRoleAndHostAndKeyMatches(string name, ConsortiumRole role)
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName, host: "hfed-aggregator");

        // Act
        var identity = files.Issue(name, role);

        // Assert
        Assert.That(identity, Is.EqualTo(new IdentityFiles($"{name}.cert.pem", $"{name}.key.pem")));
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(files.PathOf(identity.Certificate)));
        var root = Root(files);
        var party = new ConsortiumTrust(root, Revocation(files, root)).Validate(certificate, role, DateTimeOffset.UtcNow, name);
        Assert.That(party.Role, Is.EqualTo(role));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames();
        Assert.That(names, Is.EqualTo(new[] { "hfed-aggregator" }));
        using var key = KeyProtection.ImportPem(File.ReadAllText(files.PathOf(identity.Key)), name);
        using var publicKey = certificate.GetECDsaPublicKey()!;
        var data = "bound to the certificate"u8.ToArray();
        Assert.That(publicKey.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256), Is.True, "the key file holds the certificate's private key");
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix file modes")]
    public void Issue_Party_KeyFileIsOwnerOnlyAndCertificateIsPublic()
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName);

        // Act
        var identity = files.Issue("site-01", ConsortiumRole.Site);

        // Assert
#pragma warning disable CA1416 // excluded on Windows by [Platform]
        Assert.That(File.GetUnixFileMode(files.PathOf(identity.Key)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(files.PathOf(identity.Certificate)) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead));
#pragma warning restore CA1416
    }

    [Test]
    public void Issue_KeyFileExists_RefusesAndKeepsTheOldKey()
    {
        // Arrange
        using var files = ConsortiumDirectory.Create(_directory.FullName);
        var identity = files.Issue("site-01", ConsortiumRole.Site);
        var before = File.ReadAllBytes(files.PathOf(identity.Key));

        // Act
        void Again() => files.Issue("site-01", ConsortiumRole.Site);

        // Assert
        Assert.That(Again, Throws.InstanceOf<IOException>());
        Assert.That(File.ReadAllBytes(files.PathOf(identity.Key)), Is.EqualTo(before));
    }

    private static X509Certificate2 Root(ConsortiumDirectory files) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(files.PathOf(ConsortiumDirectory.RootFile)));

    private static CrlRevocationSource Revocation(ConsortiumDirectory files, X509Certificate2 root) =>
        CrlRevocationSource.FromPem(File.ReadAllText(files.PathOf(ConsortiumDirectory.CrlFile)), root);

    private static ApprovalPolicy Policy(ConsortiumDirectory files)
    {
        var root = Root(files);
        var config = ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(files.PathOf(ConsortiumDirectory.ConsortiumFile))), root);
        return new ApprovalPolicy(config, root, Revocation(files, root));
    }

    private static LogEntry ReadApproval(ConsortiumDirectory files, string name) =>
        LogLine.Decode(File.ReadAllBytes(files.PathOf(name)).AsSpan().TrimEnd((byte)'\n'), out _);
}
