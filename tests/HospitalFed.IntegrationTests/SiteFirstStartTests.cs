using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>A site's first start from an empty state location, as a real process.</summary>
[TestFixture]
public sealed class SiteFirstStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Test]
    public async Task SiteRun_StateDirectoryMissing_CreatedOwnerOnlyBeforeItDials()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Pass("Windows has no mode bits; the directory inherits its parent's ACL");
            return;
        }

        // Arrange: the state directory and its parent do not exist; no aggregator runs.
        var directory = Directory.CreateTempSubdirectory("hfed-it-first-start-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, "pairwise", sites: 3);
        var path = files.PathOf("cleveland.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["stateDirectory"] = "var/state";
        File.WriteAllText(path, config.ToJsonString());
        try
        {
            // Act
            using var site = new HfedProcess("site", "run", "--config", path);
            await site.WaitForLineAsync("Connection lost", Timeout);

            // Assert: created owner-only, the service keeps retrying (it did not exit).
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.That(File.GetUnixFileMode(Path.Combine(directory, "var")), Is.EqualTo(ownerOnly), site.Output);
            Assert.That(File.GetUnixFileMode(Path.Combine(directory, "var", "state")), Is.EqualTo(ownerOnly), site.Output);
            Assert.That(site.HasExited, Is.False, site.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
