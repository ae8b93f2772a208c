using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Tests.Identity;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class SignedShareTests
{
    private const string Plan = "5f1c0ffee";
    private const string Aggregator = "aggregator";

    private static readonly Lazy<CkksContext> Context = new(() => new CkksContext(CkksPresets.SmallModel));

    [Test]
    public void Verify_ShareForThisAggregateAndRound_ReturnsShare()
    {
        using var fixture = new Fixture();
        var signed = SignedDecryptionShare.Create(fixture.Site, Binding(7), fixture.Digest, 0, fixture.Share);

        var share = signed.Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), fixture.Digest, 0, DateTimeOffset.UtcNow);

        Assert.That(share.ToBytes(), Is.EqualTo(fixture.Share.ToBytes()));
    }

    [Test]
    public void Verify_ShareForAnotherRound_Rejected()
    {
        using var fixture = new Fixture();
        var signed = SignedDecryptionShare.Create(fixture.Site, Binding(6), fixture.Digest, 0, fixture.Share);

        Assert.That(() => signed.Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), fixture.Digest, 0, DateTimeOffset.UtcNow),
            Throws.TypeOf<IdentityException>().With.Message.Contains("invalid"));
    }

    [Test]
    public void Verify_ShareForAnotherCiphertextOrChunk_Rejected()
    {
        using var fixture = new Fixture();
        var signed = SignedDecryptionShare.Create(fixture.Site, Binding(7), fixture.Digest, 0, fixture.Share);
        var otherDigest = AggregateDigest.ComputeSplit([new CkksEncryptor(Context.Value, fixture.SecretKey, fixture.Random).Encrypt([2.0])]);

        Assert.Multiple(() =>
        {
            Assert.That(() => signed.Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), otherDigest, 0, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("another aggregate"));
            Assert.That(() => signed.Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), fixture.Digest, 1, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("another aggregate"));
            // relabelled to claim the other digest: the signature no longer matches
            Assert.That(() => (signed with { AggregateDigest = otherDigest }).Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), otherDigest, 0, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("invalid"));
        });
    }

    [Test]
    public void Verify_BitFlippedShare_Rejected()
    {
        using var fixture = new Fixture();
        var signed = SignedDecryptionShare.Create(fixture.Site, Binding(7), fixture.Digest, 0, fixture.Share);
        var tampered = (byte[])signed.Share.Clone();
        tampered[100] ^= 0x01;

        Assert.That(() => (signed with { Share = tampered }).Verify(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), fixture.Digest, 0, DateTimeOffset.UtcNow),
            Throws.TypeOf<IdentityException>());
    }

    [Test]
    public void VerifyQuorum_EnoughDistinctValidContributors_ReturnsNames()
    {
        using var fixture = new Fixture();
        var list = fixture.Sites.Select(s => SignedContribution.Create(s, Plan, 7, Aggregator, fixture.Digest)).ToList();

        var names = SignedContribution.VerifyQuorum(list, fixture.CertificateOf, fixture.Trust, Plan, 7, Aggregator, 3, DateTimeOffset.UtcNow);

        Assert.That(names, Is.EquivalentTo(new[] { "site-a", "site-b", "site-c" }));
    }

    [Test]
    public void VerifyQuorum_TooFewDuplicatedOrTampered_Rejected()
    {
        using var fixture = new Fixture();
        var list = fixture.Sites.Select(s => SignedContribution.Create(s, Plan, 7, Aggregator, fixture.Digest)).ToList();
        var tampered = list[0] with { CiphertextDigest = [.. list[0].CiphertextDigest.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b)] };

        Assert.Multiple(() =>
        {
            Assert.That(() => SignedContribution.VerifyQuorum(list, fixture.CertificateOf, fixture.Trust, Plan, 7, Aggregator, 4, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("at least 4"));
            Assert.That(() => SignedContribution.VerifyQuorum([list[0], list[0], list[1]], fixture.CertificateOf, fixture.Trust, Plan, 7, Aggregator, 2, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("twice"));
            Assert.That(() => SignedContribution.VerifyQuorum([tampered, list[1], list[2]], fixture.CertificateOf, fixture.Trust, Plan, 7, Aggregator, 3, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>().With.Message.Contains("invalid"));
            Assert.That(() => SignedContribution.VerifyQuorum(list, fixture.CertificateOf, fixture.Trust, Plan, 8, Aggregator, 3, DateTimeOffset.UtcNow),
                Throws.TypeOf<IdentityException>());
        });
    }

    [Test]
    public void VerifyAll_SharesForEveryChunk_ReturnsThemInOrder()
    {
        using var fixture = new Fixture();
        var signed = new[] { 0, 1, 2 }.Select(i => SignedDecryptionShare.Create(fixture.Site, Binding(7), fixture.Digest, i, fixture.Share)).ToList();

        var shares = SignedDecryptionShare.VerifyAll(Context.Value, fixture.Trust, fixture.Site.Certificate, Binding(7), fixture.Digest, signed, DateTimeOffset.UtcNow);

        Assert.That(shares.Select(s => s.ToBytes()), Is.EqualTo(Enumerable.Repeat(fixture.Share.ToBytes(), 3)));
    }

    [TestCase("signature")]
    [TestCase("share")]
    [TestCase("order")]
    [TestCase("signer")]
    public void VerifyAll_OneChunkTamperedOrForeignSigner_Rejected(string tamper)
    {
        using var fixture = new Fixture();
        var signed = new[] { 0, 1, 2 }.Select(i => SignedDecryptionShare.Create(fixture.Site, Binding(7), fixture.Digest, i, fixture.Share)).ToList();
        var certificate = fixture.Site.Certificate;
        switch (tamper)
        {
            case "signature": signed[2] = signed[2] with { Signature = Flip(signed[2].Signature) }; break;
            case "share": signed[1] = signed[1] with { Share = Flip(signed[1].Share) }; break;
            case "order": (signed[0], signed[1]) = (signed[1], signed[0]); break;
            default: certificate = fixture.CertificateOf("site-b"); break;
        }

        Assert.That(() => SignedDecryptionShare.VerifyAll(Context.Value, fixture.Trust, certificate, Binding(7), fixture.Digest, signed, DateTimeOffset.UtcNow),
            Throws.TypeOf<IdentityException>());
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }

    private static MessageBinding Binding(long round) => new(Plan, round, "site-a", Aggregator);

    private sealed class Fixture : IDisposable
    {
        private readonly TestConsortium _consortium = new();

        public Fixture()
        {
            Trust = _consortium.Trust();
            Sites = [.. new[] { "site-a", "site-b", "site-c" }.Select(n => _consortium.Issue(n, ConsortiumRole.Site))];
            Random = SeededRandomSource.FromLabel("signed-share");
            SecretKey = new CkksKeyGenerator(Context.Value, Random).GenerateSecretKey();
            var aggregate = new CkksEncryptor(Context.Value, SecretKey, Random).Encrypt([1.0]);
            Digest = AggregateDigest.ComputeSplit([aggregate]);
            Share = new CollectiveDecryptionProtocol(Context.Value, new CkksNoiseBudget(3, 3, 3), Random).GenShare(SecretKey, aggregate);
        }

        public ConsortiumTrust Trust { get; }

        public SigningIdentity[] Sites { get; }

        public SigningIdentity Site => Sites[0];

        public SeededRandomSource Random { get; }

        public CkksSecretKey SecretKey { get; }

        public byte[] Digest { get; }

        public DecryptionShare Share { get; }

        public X509Certificate2 CertificateOf(string name) => Sites.Single(s => s.Name == name).Certificate;

        public void Dispose()
        {
            foreach (var site in Sites)
            {
                site.Dispose();
            }

            SecretKey.Dispose();
            Random.Dispose();
            _consortium.Dispose();
        }
    }
}
