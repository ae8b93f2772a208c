using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Site.Tests;

/// <summary>A temporary site installation on disk: certificates, key (0600), consortium files, extracts and site.json.</summary>
internal sealed class SiteDirectory : IDisposable
{
    private readonly ConsortiumDirectory _files;

    public SiteDirectory(string aggregator = "https://localhost:9")
    {
        _files = ConsortiumDirectory.Create(Directory.CreateTempSubdirectory("hfed-site-").FullName, validity: TimeSpan.FromDays(365));
        var identity = _files.Issue("site-01", ConsortiumRole.Site);
        Key = PathOf(identity.Key);
        var samples = SampleData.HeartDiseaseDirectory;
        System.IO.File.Copy(System.IO.Path.Combine(samples, "heart-disease.schema.json"), PathOf("schema.json"));
        System.IO.File.Copy(System.IO.Path.Combine(samples, "processed.cleveland.data"), PathOf("train.csv"));
        System.IO.File.Copy(System.IO.Path.Combine(samples, "processed.hungarian.data"), PathOf("test.csv"));
        Write("site.json", JsonSerializer.Serialize(new
        {
            aggregator,
            certificate = identity.Certificate,
            key = identity.Key,
            root = ConsortiumDirectory.RootFile,
            crl = ConsortiumDirectory.CrlFile,
            consortium = ConsortiumDirectory.ConsortiumFile,
            schema = "schema.json",
            train = "train.csv",
            test = "test.csv",
        }));
    }

    public string Path => _files.Path;

    public string Config => PathOf("site.json");

    /// <summary>The site's private key file (created 0600).</summary>
    public string Key { get; }

    public string PathOf(string name) => _files.PathOf(name);

    public void Write(string name, string text) => _files.WriteText(name, text);

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(Path, recursive: true);
    }
}
