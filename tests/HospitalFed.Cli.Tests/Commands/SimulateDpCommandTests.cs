namespace HospitalFed.Cli.Tests.Commands;

/// <summary><c>hfed simulate dp</c>: a short run on the bundled sample and one clear line for each bad argument.</summary>
public sealed class SimulateDpCommandTests
{
    [Test]
    public void HeartDisease_TwoRoundsOneSeed_PrintsThePrivateAndReferenceRowsWithTheSpentBudget()
    {
        // Arrange
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = SimulateCommandTests.Root(output, error);

        // Act
        var exit = root.Parse(["simulate", "dp", "--rounds", "2", "--seeds", "1", "--epsilon", "8,inf", "--data", SampleData.HeartDiseaseDirectory]).Invoke();

        // Assert
        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error.ToString());
            Assert.That(error.ToString(), Is.Empty);
            Assert.That(text, Does.Contain("Fed-Heart-Disease, 4 sites"));
            Assert.That(text, Does.Match(@"\n 8 +private +\d+\.\d\d +8\.000 "));
            Assert.That(text, Does.Match(@"\n inf +no DP "));
            Assert.That(text, Does.Match(@"\n inf +no noise "));
            Assert.That(text, Does.Contain("254 test rows"));
            Assert.That(text, Does.Contain("clip norm 0.5, minContributors 4"));
        });
    }

    [TestCase(new[] { "--epsilon", "0,3" }, "hfed simulate dp: --epsilon '0,3': '0' is not a number in (0, 100] or 'inf'")]
    [TestCase(new[] { "--epsilon", "3,x" }, "hfed simulate dp: --epsilon '3,x': 'x' is not a number in (0, 100] or 'inf'")]
    [TestCase(new[] { "--epsilon", "3,3" }, "hfed simulate dp: --epsilon '3,3': '3' is given twice")]
    [TestCase(new[] { "--delta", "0.1" }, "hfed simulate dp: --delta must be a number in (0, 0.001], got 0.1")]
    [TestCase(new[] { "--clip-norm", "0" }, "hfed simulate dp: --clip-norm must be a number in (0, 1000000], got 0")]
    [TestCase(new[] { "--rounds", "0" }, "hfed simulate dp: --rounds must be from 1 to 1000 training rounds, got 0")]
    [TestCase(new[] { "--seeds", "0" }, "hfed simulate dp: --seeds must be from 1 to 100, got 0")]
    [TestCase(new[] { "--local-epochs", "0" }, "hfed simulate dp: --local-epochs must be from 1 to 100, got 0")]
    [TestCase(new[] { "--dataset", "mnist" }, "hfed simulate dp: --dataset must be heart-disease or synthetic, got 'mnist'")]
    [TestCase(new[] { "--sites", "8" }, "hfed simulate dp: --sites, --rows and --synthetic-seed are for --dataset synthetic; the heart-disease sample has its four centres")]
    [TestCase(new[] { "--dataset", "synthetic", "--sites", "6" }, "hfed simulate dp: --sites must be 4, 8, 12 or 16 (each of the synthetic cohort's four hospitals cut into 1 to 4 sites), got 6")]
    [TestCase(new[] { "--dataset", "synthetic", "--rows", "100" }, "hfed simulate dp: --rows must be from 400 to 2,000,000, got 100")]
    [TestCase(new[] { "--dataset", "synthetic", "--data", "." }, "hfed simulate dp: --data is for --dataset heart-disease; the synthetic consortium is generated in memory")]
    public void BadArgument_FailsWithOneLineNamingIt(string[] arguments, string expected)
    {
        // Arrange
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = SimulateCommandTests.Root(output, error);

        // Act
        var exit = root.Parse(["simulate", "dp", .. arguments]).Invoke();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error.ToString().TrimEnd(), Is.EqualTo(expected));
            Assert.That(output.ToString(), Is.Empty);
        });
    }
}
