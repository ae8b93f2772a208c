using HospitalFed.Dashboard.Internal;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Dashboard.Tests.Auth;

/// <summary>A simulated consortium, its CRL as a file (re-read as the dashboard does) and the dashboard's login check.</summary>
internal sealed class LoginFixture : IDisposable
{
    public const string Origin = "https://dashboard.test:7444";
    private readonly string _directory = Directory.CreateTempSubdirectory("hfed-dash-auth-").FullName;

    public LoginFixture()
    {
        File.WriteAllText(CrlPath, Simulation.CrlPem);
        Trust = new PartyTrust(Simulation.Root, new ReloadingCrlSource(CrlPath, Simulation.Root), Simulation.Time);
        Verifier = new LoginVerifier(Trust, Origin, new ReplayCache());
    }

    public ConsortiumSimulation Simulation { get; } = ConsortiumSimulation.Create(sites: 2, admins: 2);

    public PartyTrust Trust { get; }

    public LoginVerifier Verifier { get; }

    private string CrlPath => Path.Combine(_directory, "consortium.crl.pem");

    /// <summary>The token of a link minted now by <paramref name="party"/> for <paramref name="origin"/>.</summary>
    public string Token(Crypto.Identity.SigningIdentity party, string origin = Origin, TimeSpan? lifetime = null) =>
        DashboardLoginLink.Create(party, origin, lifetime ?? DashboardLoginLink.DefaultLifetime, Simulation.Time).Split("?token=", 2)[1];

    /// <summary>Revokes <paramref name="party"/> and re-issues the CRL file, as <c>hfed pki revoke</c> and its distribution do.</summary>
    public void Revoke(Crypto.Identity.SigningIdentity party)
    {
        Simulation.Revoke(party);
        File.WriteAllText(CrlPath, Simulation.CrlPem);
        File.SetLastWriteTimeUtc(CrlPath, DateTime.UtcNow.AddSeconds(5)); // a new stamp even within the file system's time resolution
    }

    public void Dispose()
    {
        Simulation.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
