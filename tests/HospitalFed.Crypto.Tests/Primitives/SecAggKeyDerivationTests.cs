using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Tests.Primitives;

public sealed class SecAggKeyDerivationTests
{
    private static readonly byte[] Agreement = Enumerable.Repeat((byte)0x0b, 32).ToArray();

    // Expected values from an independent HMAC-SHA256 implementation of RFC 5869 (Python
    // hmac/hashlib) over the documented length-prefixed info encoding.
    [Test]
    public void DeriveMaskSeed_KnownAnswer_MatchesRfc5869()
    {
        var seed = SecAggKeyDerivation.DeriveMaskSeed(Agreement, "plan-1", 7, "site-a", "site-b");

        Assert.That(Convert.ToHexStringLower(seed), Is.EqualTo("ca26fca8cdf45910e779bd9cff5870a90423f1a8e2bc90ac1b473d45701db5fb"));
    }

    [Test]
    public void DeriveMaskSeed_EitherOrder_GivesTheSameSeed()
    {
        Assert.That(
            SecAggKeyDerivation.DeriveMaskSeed(Agreement, "plan-1", 7, "site-b", "site-a"),
            Is.EqualTo(SecAggKeyDerivation.DeriveMaskSeed(Agreement, "plan-1", 7, "site-a", "site-b")));
    }

    [Test]
    public void DeriveShareKey_KnownAnswer_MatchesRfc5869()
    {
        var key = SecAggKeyDerivation.DeriveShareKey(Agreement, new MessageBinding("plan-1", 7, "site-a", "site-b"));

        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo("b0e2bfbb7db2e57336fcfa3789a8f3b8f1e041e09749e3130998290ded81196c"));
    }

    [Test]
    public void Derivations_DifferentPurposeRoundOrDirection_GiveDifferentKeys()
    {
        var share = SecAggKeyDerivation.DeriveShareKey(Agreement, new MessageBinding("plan-1", 7, "site-a", "site-b"));
        var reverse = SecAggKeyDerivation.DeriveShareKey(Agreement, new MessageBinding("plan-1", 7, "site-b", "site-a"));
        var nextRound = SecAggKeyDerivation.DeriveShareKey(Agreement, new MessageBinding("plan-1", 8, "site-a", "site-b"));
        var mask = SecAggKeyDerivation.DeriveMaskSeed(Agreement, "plan-1", 7, "site-a", "site-b");

        Assert.That(new[] { share, reverse, nextRound, mask }.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(4));
    }
}
