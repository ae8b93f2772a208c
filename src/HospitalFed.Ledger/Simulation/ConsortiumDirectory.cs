using System.Security.Cryptography;
using System.Text;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Ledger.Simulation;

/// <summary>
/// A throwaway consortium on disk, in the files <c>hfed aggregator run</c> and <c>hfed site run</c>
/// read in production: the root certificate, the CRL and the CA-signed consortium config at
/// creation; a plan with its admins' approvals (<see cref="Approve"/>); parties enrolled the way
/// <c>hfed site init</c> and <c>hfed pki sign</c> do (<see cref="Issue"/>). <c>hfed demo</c>, the
/// end-to-end benchmark and the tests share it; each adds its own extracts and configs.
/// </summary>
public sealed class ConsortiumDirectory : IDisposable
{
    /// <summary>The consortium root certificate (PEM).</summary>
    public const string RootFile = "root.cert.pem";

    /// <summary>The consortium CRL (PEM).</summary>
    public const string CrlFile = "consortium.crl.pem";

    /// <summary>The CA-signed consortium config (admins, approval threshold, aggregator).</summary>
    public const string ConsortiumFile = "consortium.json";

    /// <summary>The plan, in its canonical bytes (its id is their SHA-256).</summary>
    public const string PlanFile = "plan.json";

    private readonly string _host;
    private readonly TimeSpan _validity;
    private readonly TimeProvider _time;

    private ConsortiumDirectory(string path, ConsortiumSimulation consortium, string host, TimeSpan validity, TimeProvider time)
    {
        Path = path;
        Consortium = consortium;
        _host = host;
        _validity = validity;
        _time = time;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The consortium: CA, admins and signed config (no sites: <see cref="Issue"/> enrolls them).</summary>
    public ConsortiumSimulation Consortium { get; }

    /// <summary>
    /// Creates a consortium of <paramref name="admins"/> admins, <paramref name="threshold"/> of whom
    /// must approve a plan, and writes <see cref="RootFile"/>, <see cref="CrlFile"/> and
    /// <see cref="ConsortiumFile"/> into <paramref name="path"/> (created if absent).
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <param name="host">The DNS name every issued certificate carries, the one sites dial (default localhost).</param>
    /// <param name="validity">How long issued certificates are valid (default one day).</param>
    /// <param name="admins">How many admins, "admin-1" ... (default 2).</param>
    /// <param name="threshold">How many approvals a plan needs (default 2).</param>
    /// <param name="time">The clock approvals are stamped with and the CA dates certificates and revocations by (default the system clock).</param>
    public static ConsortiumDirectory Create(string path, string host = "localhost", TimeSpan? validity = null, int admins = 2, int threshold = 2, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(host);
        Directory.CreateDirectory(path);
        time ??= TimeProvider.System;
        var directory = new ConsortiumDirectory(path, ConsortiumSimulation.Create(sites: 0, admins, threshold, authorityClock: time), host, validity ?? TimeSpan.FromDays(1), time);
        try
        {
            directory.WriteText(RootFile, directory.Consortium.Root.ExportCertificatePem());
            directory.WriteText(CrlFile, directory.Consortium.CrlPem);
            directory.WriteText(ConsortiumFile, directory.Consortium.Config.ToSignedJson().ToJsonString());
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The full path of <paramref name="name"/> in the directory.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a public file (UTF-8, default permissions).</summary>
    public void WriteText(string name, string text) => File.WriteAllText(PathOf(name), text);

    /// <summary>
    /// Writes <paramref name="plan"/> to <see cref="PlanFile"/> and, for the first
    /// <paramref name="approvals"/> admins (default: the config's threshold), a signed approval of
    /// its id to <c>admin-N.approval</c>: one round-log line, as <c>hfed plan approve</c> writes it.
    /// </summary>
    /// <returns>The approval files' names, relative to the directory.</returns>
    public IReadOnlyList<string> Approve(TrainingPlan plan, int approvals = -1)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var count = approvals < 0 ? Consortium.Config.ApprovalThreshold : approvals;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Consortium.Admins.Count, nameof(approvals));
        File.WriteAllBytes(PathOf(PlanFile), plan.CanonicalBytes);
        var files = new List<string>(count);
        foreach (var admin in Consortium.Admins.Take(count))
        {
            var entry = LogEntry.Sign(admin, plan.Id, LogEntries.Approval(), _time.GetUtcNow());
            var file = $"{admin.Name}.approval";
            File.WriteAllBytes(PathOf(file), [.. LogLine.Encode(entry, null), (byte)'\n']);
            files.Add(file);
        }

        return files;
    }

    /// <summary>
    /// Enrolls <paramref name="name"/> in <paramref name="role"/>: key and signing request made here,
    /// certificate (for the directory's host name) from the CA; writes <c>NAME.cert.pem</c> and
    /// <c>NAME.key.pem</c>, the key created mode 0600 on Unix and never over an existing file.
    /// </summary>
    /// <exception cref="IOException">The key file already exists.</exception>
    public IdentityFiles Issue(string name, ConsortiumRole role)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = Consortium.Authority.Issue(csrPem, role, _validity, [_host]);
        var files = new IdentityFiles($"{name}.cert.pem", $"{name}.key.pem");
        WriteText(files.Certificate, certificate.ExportCertificatePem());
        var key = Encoding.UTF8.GetBytes(keyPem);
        try
        {
            OwnerOnlyFile.CreateNew(PathOf(files.Key), key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return files;
    }

    /// <inheritdoc />
    public void Dispose() => Consortium.Dispose();
}
