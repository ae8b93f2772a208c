using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>A temporary site installation on disk: certificates, key (0600), consortium files, extracts and site.json.</summary>
internal sealed class SiteDirectory : IDisposable
{
    public SiteDirectory(string aggregator = "https://localhost:9")
    {
        Path = Directory.CreateTempSubdirectory("hfed-site-").FullName;
        Consortium = ConsortiumSimulation.Create(sites: 1, admins: 2, threshold: 2);
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest("site-01");
        using var certificate = Consortium.Authority.Issue(csrPem, ConsortiumRole.Site, TimeSpan.FromDays(365));
        Write("site.cert.pem", certificate.ExportCertificatePem());
        Write("site.key.pem", keyPem);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(PathOf("site.key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Write("root.cert.pem", Consortium.Root.ExportCertificatePem());
        Write("consortium.crl.pem", Consortium.CrlPem);
        Write("consortium.json", Consortium.Config.ToSignedJson().ToJsonString());
        var samples = SampleData.HeartDiseaseDirectory;
        System.IO.File.Copy(System.IO.Path.Combine(samples, "heart-disease.schema.json"), PathOf("schema.json"));
        System.IO.File.Copy(System.IO.Path.Combine(samples, "processed.cleveland.data"), PathOf("train.csv"));
        System.IO.File.Copy(System.IO.Path.Combine(samples, "processed.hungarian.data"), PathOf("test.csv"));
        Write("site.json", JsonSerializer.Serialize(new
        {
            aggregator,
            certificate = "site.cert.pem",
            key = "site.key.pem",
            root = "root.cert.pem",
            crl = "consortium.crl.pem",
            consortium = "consortium.json",
            schema = "schema.json",
            train = "train.csv",
            test = "test.csv",
        }));
    }

    public string Path { get; }

    public ConsortiumSimulation Consortium { get; }

    public string Config => PathOf("site.json");

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Write(string name, string text) => System.IO.File.WriteAllText(PathOf(name), text);

    public void Dispose()
    {
        Consortium.Dispose();
        Directory.Delete(Path, recursive: true);
    }
}
