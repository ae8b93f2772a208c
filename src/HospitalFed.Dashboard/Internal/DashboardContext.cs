using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Dashboard.Status;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Dashboard.Internal;

/// <summary>Everything the dashboard's endpoints share, loaded and checked once at start.</summary>
internal sealed class DashboardContext : IDisposable
{
    public DashboardContext(DashboardOptions options, IFederationStatus? status, TimeProvider time)
    {
        options.Validate();
        Options = options;
        Origin = options.Origin;
        Time = time;
        Root = Load("root", options.Root, () => X509Certificate2.CreateFromPem(File.ReadAllText(options.Root)));
        var crl = Load("crl", options.Crl, () => new ReloadingCrlSource(options.Crl, Root));
        Consortium = Load("consortium", options.Consortium, () => ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(options.Consortium)), Root));
        Trust = new PartyTrust(Root, crl, time);
        Feed = new RoundLogFeed(new RoundLogReader(options.Log), Consortium.ApprovalThreshold, time);
        Status = status is null ? Feed : new MergedFederationStatus(status, Feed);
        HasLiveSource = status is not null;
        Sessions = new SessionStore(time);
        Logins = new LoginVerifier(Trust, Origin, new ReplayCache());
    }

    public DashboardOptions Options { get; }

    public string Origin { get; }

    public TimeProvider Time { get; }

    public X509Certificate2 Root { get; }

    public ConsortiumConfig Consortium { get; }

    public PartyTrust Trust { get; }

    public RoundLogFeed Feed { get; }

    /// <summary>The live source: the host's own laid over <see cref="Feed"/> when it registered one, else <see cref="Feed"/>.</summary>
    public IFederationStatus Status { get; }

    /// <summary>Whether the host publishes live facts (connection, version, phase).</summary>
    public bool HasLiveSource { get; }

    public SessionStore Sessions { get; }

    public LoginVerifier Logins { get; }

    public void Dispose() => Root.Dispose();

    private static T Load<T>(string setting, string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or System.Text.Json.JsonException or PkiException or PlanException or HospitalFed.Crypto.Identity.IdentityException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"dashboard settings: {setting} file '{path}' is not usable: {ex.Message}", ex);
        }
    }
}
