using System.CommandLine;
using HospitalFed.Cli.Commands;
using Spectre.Console;

namespace HospitalFed.Cli.Tests.Commands;

public sealed class SimulateCommandTests
{
    [Test]
    public void HeartDisease_OneSeed_PrintsEveryMethodWithPerCentreColumns()
    {
        // Arrange
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = Root(output, error);

        // Act
        var exit = root.Parse(["simulate", "heart-disease", "--seeds", "1", "--data", HeartDiseaseDirectory()]).Invoke();

        // Assert
        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error.ToString());
            Assert.That(error.ToString(), Is.Empty);
            foreach (var expected in new[] { "Pooled", "Local (cleveland)", "FedAvg", "FedProx", "FedAdam", "FedYogi", "clev", "hung", "swit", "AUC", "254 pooled test rows" })
            {
                Assert.That(text, Does.Contain(expected));
            }
        });
    }

    [Test]
    public void HeartDisease_MissingDataDirectory_FailsWithOneLineOnStderr()
    {
        // Arrange
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = Root(output, error);
        var missing = Path.Combine(Path.GetTempPath(), "hfed-no-such-dir-" + Guid.NewGuid().ToString("N"));

        // Act
        var exit = root.Parse(["simulate", "heart-disease", "--data", missing]).Invoke();

        // Assert
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines[0], Does.StartWith("hfed simulate heart-disease: ").And.Contain("heart-disease.schema.json"));
        });
    }

    internal static RootCommand Root(StringWriter output, StringWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        var root = new RootCommand();
        root.Subcommands.Add(SimulateCommand.Create(console, error));
        return root;
    }

    private static string HeartDiseaseDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "heart-disease");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/heart-disease not found above the test directory.");
    }
}
