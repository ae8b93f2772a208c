namespace HospitalFed.IntegrationTests;

/// <summary>
/// A certificate revoked twice through the real <c>hfed</c> processes: the second revocation is a
/// no-op, and the CA tools and a party loading the CRL keep working (before issue 12 the CRL
/// listed the serial twice and every one of them failed).
/// </summary>
[TestFixture]
public sealed class DoubleRevocationTests
{
    private const string PlanJson = """
        {"features":["age","sex","cp","trestbps","chol","fbs","restecg","thalach","exang","oldpeak"],
         "hyperparameters":{"batchSize":16,"learningRate":0.05,"localSteps":10},"minSites":3,
         "model":{"kind":"logistic"},"perRoundApproval":false,"protection":"pairwise","rounds":3,"strategy":{"kind":"fedavg"}}
        """;

    [Test]
    public async Task PkiRevoke_SameCertificateTwice_CrlStaysUsableByCaAndParties()
    {
        // Arrange: a CA, two admins, the signed config, and a site to revoke.
        var directory = Directory.CreateTempSubdirectory("hfed-it-revoke-").FullName;
        try
        {
            string In(string name) => Path.Combine(directory, name);
            var pass = In("pass.txt");
            await File.WriteAllTextAsync(pass, "an integration test passphrase\n");
            await Run(0, "pki", "init", "--dir", In("ca"), "--name", "IT Root", "--passphrase-file", pass);
            foreach (var admin in new[] { "admin-1", "admin-2" })
            {
                await Run(0, "pki", "request", "--name", admin, "--dir", In(admin));
                await Run(0, "pki", "sign", "--ca", In("ca"), "--csr", Path.Combine(In(admin), $"{admin}.csr.pem"), "--role", "admin", "--out", Path.Combine(In(admin), "cert.pem"), "--passphrase-file", pass);
            }

            await Run(0, "pki", "config", "--ca", In("ca"), "--name", "IT", "--admin", "admin-1", "--admin", "admin-2", "--threshold", "2", "--aggregator", "aggregator", "--out", In("consortium.json"), "--passphrase-file", pass);
            await Run(0, "site", "init", "--name", "site-x", "--dir", In("site-x"));
            await Run(0, "pki", "sign", "--ca", In("ca"), "--csr", Path.Combine(In("site-x"), "site-x.csr.pem"), "--role", "site", "--out", Path.Combine(In("site-x"), "cert.pem"), "--passphrase-file", pass);
            await File.WriteAllTextAsync(In("plan.json"), PlanJson);
            var revoke = new[] { "pki", "revoke", "--ca", In("ca"), "--cert", Path.Combine(In("site-x"), "cert.pem"), "--passphrase-file", pass };

            // Act
            var first = await Run(0, revoke);
            var second = await Run(0, revoke);
            var crl = await Run(0, "pki", "crl", "--ca", In("ca"), "--passphrase-file", pass);
            var status = await Run(1, "plan", "status", In("plan.json"), "--config", In("consortium.json"), "--root", Path.Combine(In("ca"), "root.cert.pem"), "--crl", Path.Combine(In("ca"), "consortium.crl.pem"));

            // Assert
            Assert.That(first, Does.Contain("revoked 'CN=site-x'"));
            Assert.That(second, Does.Match(@"certificate site-x \(serial [0-9A-F]+\) is already revoked since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; CRL unchanged"));
            Assert.That(crl, Does.Contain(": 1 revoked, next update"));
            Assert.That(status, Does.Contain("not approved: 0 of 2 required").And.Not.Contain("listed twice"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> Run(int expectedExit, params string[] arguments)
    {
        using var process = new HfedProcess(arguments);
        var code = await process.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.That(code, Is.EqualTo(expectedExit), $"hfed {string.Join(' ', arguments)}\n{process.Output}");
        return process.Output;
    }
}
