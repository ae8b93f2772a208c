namespace HospitalFed.IntegrationTests;

/// <summary>
/// <c>hfed demo provision</c> followed by exactly the process commands docker/compose.yaml runs:
/// one aggregator and three hospitals, each a real process, reading only the provisioned files.
/// </summary>
[TestFixture]
public sealed class ProvisionTests
{
    [Test]
    public async Task Provision_ThenComposeCommands_ThreeSitesCompleteThePlan()
    {
        // Arrange
        var directory = Path.Combine(Path.GetTempPath(), "hfed-it-provision-" + Guid.NewGuid().ToString("N"));
        var port = TestEnvironment.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using (var provision = new HfedProcess("demo", "provision", "--out", directory, "--port", port, "--sites", "3", "--rounds", "3", "--data", TestEnvironment.Samples(), "--state-dir", Path.Combine(directory, "state")))
            {
                Assert.That(await provision.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, provision.Output);
            }

            // Act: the commands of docker/compose.yaml, with the provisioned directory in place of /consortium.
            using var aggregator = new HfedProcess("aggregator", "run", "--config", Path.Combine(directory, "aggregator.json"));
            var sites = new[] { "cleveland", "hungarian", "switzerland" }
                .Select(name => new HfedProcess("site", "run", "--config", Path.Combine(directory, $"{name}.json")))
                .ToList();
            try
            {
                var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
                var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

                // Assert
                Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
                Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
                Assert.That(aggregator.Output, Does.Contain("round 3: 3 contributors").And.Contain("plan completed"));
                Assert.That(File.Exists(Path.Combine(directory, "va.json")), Is.False, "--sites 3 enrolls three hospitals");

                // The auditor's path: export the aggregator's log and verify it offline against the root alone.
                var exported = Path.Combine(directory, "round-log.jsonl");
                using var export = new HfedProcess("audit", "export", Path.Combine(directory, "round-log.db"), "--out", exported);
                Assert.That(await export.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, export.Output);
                using var verify = new HfedProcess("audit", "verify", exported, "--root", Path.Combine(directory, "root.cert.pem"), "--crl", Path.Combine(directory, "consortium.crl.pem"));
                Assert.That(await verify.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, verify.Output);
                Assert.That(verify.Output, Does.Contain("verdict").And.Contain("OK"));
            }
            finally
            {
                sites.ForEach(s => s.Dispose());
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Test]
    public async Task AuditExport_MissingDatabase_FailsWithOneLineAndCreatesNothing()
    {
        var directory = Directory.CreateTempSubdirectory("hfed-it-export-").FullName;
        try
        {
            var database = Path.Combine(directory, "absent.db");

            using var export = new HfedProcess("audit", "export", database, "--out", Path.Combine(directory, "log.jsonl"));
            var code = await export.WaitAsync(TimeSpan.FromMinutes(1));

            Assert.That(code, Is.EqualTo(2), export.Output);
            Assert.That(export.Output.Trim(), Does.StartWith("hfed: ").And.Contain("no such round-log database"));
            Assert.That(Directory.EnumerateFileSystemEntries(directory), Is.Empty);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Provision_IntoNonEmptyDirectory_FailsWithOneLine()
    {
        var directory = Directory.CreateTempSubdirectory("hfed-it-provision-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "existing.txt"), "keep me");

            using var provision = new HfedProcess("demo", "provision", "--out", directory, "--data", TestEnvironment.Samples());
            var code = await provision.WaitAsync(TimeSpan.FromMinutes(1));

            Assert.That(code, Is.EqualTo(2), provision.Output);
            Assert.That(provision.Output.Trim(), Does.StartWith("hfed: ").And.Contain("is not empty"));
            Assert.That(File.ReadAllText(Path.Combine(directory, "existing.txt")), Is.EqualTo("keep me"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
