using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// docs/walkthrough.md run as written: its <c>sh walkthrough</c> blocks, in order, in one bash from
/// an empty directory, with <c>hfed</c> the built CLI and the examples from this checkout's
/// config/ and samples/. It must reach a verified round log without any file renamed or edited.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "the walkthrough is a bash script")]
public sealed class WalkthroughTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Test]
    public async Task Walkthrough_CommandsInOrderFromAnEmptyDirectory_ReachAVerifiedRoundLog()
    {
        // Arrange
        var document = WalkthroughScript.Document();
        var blocks = WalkthroughScript.Blocks(await File.ReadAllTextAsync(document));
        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(8), "the walkthrough's blocks are marked ```sh walkthrough");
        var directory = Directory.CreateTempSubdirectory("hfed-it-walkthrough-").FullName;
        var script = new StringBuilder()
            .Append("set -euo pipefail\n")
            .Append("hfed() { \"$HFED_DOTNET\" \"$HFED_DLL\" \"$@\"; }\n")
            .AppendJoin(string.Empty, blocks)
            .ToString();
        await File.WriteAllTextAsync(Path.Combine(directory, "..", Path.GetFileName(directory) + ".sh"), script);
        var start = new ProcessStartInfo("bash", [Path.Combine(directory, "..", Path.GetFileName(directory) + ".sh")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HFED_REPO"] = Path.GetDirectoryName(Path.GetDirectoryName(document))!;
        start.Environment["HFED_DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        start.Environment["HFED_DLL"] = Path.Combine(TestContext.CurrentContext.TestDirectory, "hfed.dll");
        start.Environment["HFED_PORT"] = TestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("HFED_CA_PASSPHRASE");
        var output = new StringBuilder();
        using var bash = new Process { StartInfo = start };
        bash.OutputDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);
        bash.ErrorDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);

        try
        {
            // Act
            bash.Start();
            bash.BeginOutputReadLine();
            bash.BeginErrorReadLine();
            try
            {
                await bash.WaitForExitAsync().WaitAsync(Timeout);
            }
            catch (TimeoutException)
            {
                bash.Kill(entireProcessTree: true);
                Assert.Fail($"the walkthrough did not finish within {Timeout}:\n{CapturedOutput.Text(output)}\n{Logs(directory)}");
            }

            bash.WaitForExit();

            // Assert
            var text = CapturedOutput.Text(output);
            Assert.That(bash.ExitCode, Is.Zero, $"{text}\n{Logs(directory)}");
            Assert.That(text, Does.Contain("approved: 2 of 2 required (admin-alice, admin-bob)"));
            Assert.That(text, Does.Contain("ready: this site can take part"));
            Assert.That(text, Does.Match(@"verified: \d+ entries, root "));
            Assert.That(File.ReadAllText(Path.Combine(directory, "aggregator.log")), Does.Contain("plan completed"));
            Assert.That(File.Exists(Path.Combine(directory, "st-marys", "st-marys.cert.pem")), Is.True);
        }
        finally
        {
            if (!bash.HasExited)
            {
                bash.Kill(entireProcessTree: true);
            }

            File.Delete(Path.Combine(directory, "..", Path.GetFileName(directory) + ".sh"));
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Blocks_MarkedAndUnmarkedFences_ReturnsOnlyTheMarkedInOrder()
    {
        // Arrange
        var markdown = "text\n```sh\nnot run\n```\n```sh walkthrough\none\ntwo\n```\n```sh walkthrough\nthree\n```\n";

        // Act
        var blocks = WalkthroughScript.Blocks(markdown);

        // Assert
        Assert.That(blocks, Is.EqualTo(new[] { "one\ntwo\n", "three\n" }));
    }

    /// <summary>The services' logs, for a failure message.</summary>
    private static string Logs(string directory) =>
        string.Join("\n", Directory.EnumerateFiles(directory, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
}
