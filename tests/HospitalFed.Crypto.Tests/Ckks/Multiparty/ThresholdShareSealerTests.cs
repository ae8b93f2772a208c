using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class ThresholdShareSealerTests
{
    private static readonly MessageBinding Binding = new("plan", 0, "site-a", "site-b");

    [Test]
    public void SealOpen_RightRecipient_RecoversShare()
    {
        using var fixture = new Fixture();

        var sealedShare = ThresholdShareSealer.Seal(fixture.Share, fixture.Sender, fixture.Recipient.PublicKey, Binding);
        using var opened = ThresholdShareSealer.Open(fixture.Context, sealedShare, fixture.Recipient, fixture.Sender.PublicKey, Binding, 2);

        Assert.That(opened.Data, Is.EqualTo(fixture.Share.Data));
    }

    [Test]
    public void Open_BitFlipWrongBindingPointOrKey_Rejected()
    {
        using var fixture = new Fixture();
        var sealedShare = ThresholdShareSealer.Seal(fixture.Share, fixture.Sender, fixture.Recipient.PublicKey, Binding);
        var flipped = (byte[])sealedShare.Clone();
        flipped[40] ^= 0x01;
        using var stranger = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        Assert.Multiple(() =>
        {
            Assert.That(() => ThresholdShareSealer.Open(fixture.Context, flipped, fixture.Recipient, fixture.Sender.PublicKey, Binding, 2), Throws.InstanceOf<CryptographicException>());
            Assert.That(() => ThresholdShareSealer.Open(fixture.Context, sealedShare, fixture.Recipient, fixture.Sender.PublicKey, Binding with { Round = 1 }, 2), Throws.InstanceOf<CryptographicException>());
            Assert.That(() => ThresholdShareSealer.Open(fixture.Context, sealedShare, fixture.Recipient, fixture.Sender.PublicKey, Binding, 3), Throws.InstanceOf<CryptographicException>());
            Assert.That(() => ThresholdShareSealer.Open(fixture.Context, sealedShare, stranger, fixture.Sender.PublicKey, Binding, 2), Throws.InstanceOf<CryptographicException>());
            Assert.That(() => ThresholdShareSealer.Open(fixture.Context, sealedShare[..20], fixture.Recipient, fixture.Sender.PublicKey, Binding, 2), Throws.InstanceOf<CryptographicException>());
        });
    }

    private sealed class Fixture : IDisposable
    {
        private readonly SeededRandomSource _random = SeededRandomSource.FromLabel("seal");
        private readonly CkksSecretKey _key;

        public Fixture()
        {
            Context = new CkksContext(CkksPresets.SmallModel);
            _key = new CkksKeyGenerator(Context, _random).GenerateSecretKey();
            Share = new ThresholdProtocol(Context, _random).GenShares(_key, 2, [1, 2, 3])[1];
        }

        public CkksContext Context { get; }

        public ThresholdKeyShare Share { get; }

        public ECDiffieHellman Sender { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        public ECDiffieHellman Recipient { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        public void Dispose()
        {
            Share.Dispose();
            _key.Dispose();
            Sender.Dispose();
            Recipient.Dispose();
            _random.Dispose();
        }
    }
}
