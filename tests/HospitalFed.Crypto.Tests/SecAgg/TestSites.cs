using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Tests.Identity;

namespace HospitalFed.Crypto.Tests.SecAgg;

/// <summary>A consortium with <c>count</c> site identities, made once per fixture (certificate minting is the slow part).</summary>
internal sealed class TestSites : IDisposable
{
    public TestSites(int count)
    {
        Consortium = new TestConsortium();
        Trust = Consortium.Trust();
        Identities = Enumerable.Range(0, count).Select(i => Consortium.Issue($"site-{i:D2}", ConsortiumRole.Site)).ToArray();
    }

    public TestConsortium Consortium { get; }

    public ConsortiumTrust Trust { get; }

    public SigningIdentity[] Identities { get; }

    public void Dispose()
    {
        foreach (var identity in Identities)
        {
            identity.Dispose();
        }

        Consortium.Dispose();
    }
}
