using System.Globalization;
using System.Text;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary><c>hfed simulate --schema S --site NAME=train.csv,test.csv</c> on small extracts written by the test.</summary>
public sealed class SimulateOwnDataTests
{
    private const string Schema = """
        {
          "header": true,
          "standardize": "all",
          "columns": [
            { "name": "age", "type": "numeric", "minimum": 0, "maximum": 120 },
            { "name": "smoker", "type": "binary" },
            { "name": "readmitted", "type": "numeric" }
          ],
          "target": { "column": "readmitted", "kind": "binary", "greaterThan": 0 }
        }
        """;

    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "hfed-simulate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "schema.json"), Schema);
        var random = new Random(3);
        foreach (var site in new[] { "north", "south" })
        {
            File.WriteAllText(Path.Combine(_directory, $"{site}-train.csv"), Extract(random, 120));
            File.WriteAllText(Path.Combine(_directory, $"{site}-test.csv"), Extract(random, 40));
        }
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Simulate_OwnExtracts_PrintsEveryMethodWithPerSiteColumns()
    {
        // Act
        var (exit, output, error) = Run("--schema", P("schema.json"), "--site", Site("north"), "--site", Site("south"), "--seeds", "1");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(error, Is.Empty);
            foreach (var expected in new[] { "Pooled", "Local (north)", "Local (south)", "FedAvg", "FedProx", "FedAdam", "FedYogi", "FedAdagrad", "AUC", "north", "south", "80 pooled test rows", "readmitted" })
            {
                Assert.That(output, Does.Contain(expected));
            }

            Assert.That(output, Does.Not.Contain("FLamby"));
        });
    }

    [Test]
    public void Simulate_WithPlan_UsesThePlansRoundsAndLocalOptions()
    {
        // Arrange
        File.WriteAllText(P("plan.json"), """
            { "model": { "kind": "logistic" }, "features": ["age", "smoker"],
              "hyperparameters": { "optimizer": "adam", "learningRate": 0.02, "batchSize": 16, "schedule": "constant" },
              "strategy": { "kind": "fedprox", "proximalMu": 0.25 }, "rounds": 8,
              "protection": "pairwise", "minSites": 2, "perRoundApproval": false }
            """);

        // Act
        var (exit, output, error) = Run("--schema", P("schema.json"), "--site", Site("north"), "--site", Site("south"), "--seeds", "1", "--plan", P("plan.json"));

        // Assert: plan round 1 pools statistics, so 7 training rounds.
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.Contain("7 rounds").And.Contain("adam lr 0.02 constant, batch 16").And.Contain("mu 0.25"));
        });
    }

    [Test]
    public void Simulate_PlanFeaturesDifferFromSchema_NamesTheColumns()
    {
        File.WriteAllText(P("plan.json"), """
            { "model": { "kind": "logistic" }, "features": ["age"], "hyperparameters": {}, "strategy": { "kind": "fedavg" },
              "rounds": 8, "protection": "pairwise", "minSites": 2, "perRoundApproval": false }
            """);

        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", Site("north"), "--plan", P("plan.json"));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("in the schema but not in the plan: smoker"));
    }

    [Test]
    public void Simulate_MissingTestFile_NamesSiteAndFile()
    {
        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", $"north={P("north-train.csv")},{P("absent.csv")}");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error.Trim(), Is.EqualTo($"hfed simulate: site 'north': test file '{P("absent.csv")}' does not exist"));
    }

    [Test]
    public void Simulate_BadRow_NamesFileAndLine()
    {
        // Arrange: line 4 of the training extract has an age the schema refuses.
        var lines = File.ReadAllLines(P("north-train.csv"));
        lines[3] = "abc,1,0";
        File.WriteAllLines(P("north-train.csv"), lines);

        // Act
        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", Site("north"));

        // Assert
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.StartWith("hfed simulate: site 'north' training file: north-train.csv:4:").And.Contain("age"));
    }

    [Test]
    public void Simulate_SiteWithoutComma_SaysWhatIsExpected()
    {
        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", $"north={P("north-train.csv")}");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("must be NAME=TRAIN.csv,TEST.csv (no comma between the training and test files)"));
    }

    [Test]
    public void Simulate_TargetNotBinary_IsRefused()
    {
        File.WriteAllText(P("schema.json"), Schema.Replace("\"kind\": \"binary\", \"greaterThan\": 0", "\"kind\": \"multiclass\", \"classes\": [\"0\", \"1\"]", StringComparison.Ordinal));

        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", Site("north"));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("target 'readmitted' is multiclass").And.Contain("binary outcomes"));
    }

    [Test]
    public void Simulate_ExtractColumnsDifferFromSchema_NamesFileAndLine()
    {
        File.WriteAllText(P("south-test.csv"), "age,smoker\n40,1\n");

        var (exit, _, error) = Run("--schema", P("schema.json"), "--site", Site("south"));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.StartWith("hfed simulate: site 'south' test file: south-test.csv:1"));
    }

    [Test]
    public void Simulate_SiteWithoutSchema_IsRefused()
    {
        var (exit, _, error) = Run("--site", Site("north"));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("--site needs --schema"));
    }

    private static string Extract(Random random, int rows)
    {
        var text = new StringBuilder("age,smoker,readmitted\n");
        for (var r = 0; r < rows; r++)
        {
            var age = random.Next(20, 90);
            var smoker = random.Next(2);
            var risk = ((age - 55) / 15.0) + smoker;
            var outcome = random.NextDouble() < 1 / (1 + Math.Exp(-risk)) ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{age},{smoker},{outcome}\n");
        }

        return text.ToString();
    }

    private string P(string name) => Path.Combine(_directory, name);

    private string Site(string name) => $"{name}={P($"{name}-train.csv")},{P($"{name}-test.csv")}";

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = SimulateCommandTests.Root(output, error);
        var exit = root.Parse(["simulate", .. args]).Invoke();
        return (exit, output.ToString(), error.ToString());
    }
}
