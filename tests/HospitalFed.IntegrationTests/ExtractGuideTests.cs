using System.Diagnostics;
using System.Text;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// docs/operations-guide.md "From your records to an extract": its <c>sh extract</c> blocks run in
/// order in one empty directory, each printing exactly the output the guide shows after it.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "the guide's commands are bash")]
public sealed class ExtractGuideTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Test]
    public async Task ExtractSection_CommandsInOrder_PrintTheDocumentedOutput()
    {
        // Arrange
        var document = WalkthroughScript.Document("operations-guide.md");
        var examples = WalkthroughScript.Examples(await File.ReadAllTextAsync(document), "sh extract");
        Assert.That(examples, Has.Count.EqualTo(3), "the section's three preflight runs are marked ```sh extract");
        var directory = Directory.CreateTempSubdirectory("hfed-it-extract-").FullName;
        try
        {
            foreach (var (commands, expected) in examples)
            {
                // Act
                var output = await RunAsync(directory, Path.GetDirectoryName(Path.GetDirectoryName(document))!, commands);

                // Assert
                Assert.That(Normalise(output), Is.EqualTo(Normalise(expected)), $"the output of\n{commands}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="commands"/> in bash (without -e: a failing preflight is part of the example) and returns stdout and stderr.</summary>
    private static async Task<string> RunAsync(string directory, string repository, string commands)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -uo pipefail\nhfed() { \"$HFED_DOTNET\" \"$HFED_DLL\" \"$@\"; }\n" + commands])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HFED_REPO"] = repository;
        start.Environment["HFED_DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        start.Environment["HFED_DLL"] = Path.Combine(TestContext.CurrentContext.TestDirectory, "hfed.dll");
        var output = new StringBuilder();
        using var bash = new Process { StartInfo = start };
        bash.OutputDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);
        bash.ErrorDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);
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
            throw;
        }

        bash.WaitForExit();
        return CapturedOutput.Text(output);
    }

    private static string Normalise(string text) =>
        string.Join("\n", text.Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd().Split('\n').Select(l => l.TrimEnd()));
}
