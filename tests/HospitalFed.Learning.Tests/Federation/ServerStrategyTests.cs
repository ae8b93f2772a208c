using HospitalFed.Learning.Federation;

namespace HospitalFed.Learning.Tests.Federation;

public sealed class ServerStrategyTests
{
    private static readonly UpdateVectorLayout Layout = new(ParameterCount: 2, MetricCount: 1);

    /// <summary>Two sites: n=1 moved to (1, 1), n=3 moved to (5, -3), from (0, 0); metric sums 2 and 5.</summary>
    private static float[] SummedUpdate()
    {
        var a = new float[Layout.Length];
        var b = new float[Layout.Length];
        SiteUpdate.Write(Layout, [0, 0], [1, 1], 1, [2], a);
        SiteUpdate.Write(Layout, [0, 0], [5, -3], 3, [5], b);
        var sum = new float[Layout.Length];
        SiteUpdate.Sum([a, b], sum);
        return sum;
    }

    [Test]
    public void SiteUpdate_Write_LaysOutWeightedDeltaCountAndMetrics()
    {
        // Arrange
        var update = new float[Layout.Length];

        // Act
        SiteUpdate.Write(Layout, [1, 1], [2, 0], 4, [7], update);

        // Assert
        Assert.That(update, Is.EqualTo(new float[] { 4, -4, 4, 7 }));
    }

    [Test]
    public void FedAvg_SummedUpdate_GivesTheSampleWeightedMeanModel()
    {
        // Arrange
        var model = new float[2];
        var sum = SummedUpdate();

        // Act
        new FedAvg(2).Apply(model, sum, Layout);

        // Assert: (1*(1,1) + 3*(5,-3)) / 4 = (4, -2); the metric sum is 7.
        Assert.Multiple(() =>
        {
            Assert.That(model, Is.EqualTo(new float[] { 4, -2 }));
            Assert.That(sum[Layout.MetricsOffset], Is.EqualTo(7));
        });
    }

    [Test]
    public void FedAvg_ServerLearningRate_ScalesTheStep()
    {
        // Arrange
        var model = new float[2];

        // Act
        new FedAvg(2, serverLearningRate: 0.5f).Apply(model, SummedUpdate(), Layout);

        // Assert
        Assert.That(model, Is.EqualTo(new float[] { 2, -1 }));
    }

    [Test]
    public void FedProx_Aggregation_IsFedAvgAndCarriesMu()
    {
        // Arrange
        var model = new float[2];
        var strategy = new FedProx(2, proximalMu: 0.01f);

        // Act
        strategy.Apply(model, SummedUpdate(), Layout);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(model, Is.EqualTo(new float[] { 4, -2 }));
            Assert.That(strategy.ClientProximalMu, Is.EqualTo(0.01f));
        });
    }

    [Test]
    public void FedAdam_TwoRounds_MatchesReddiAlgorithm2()
    {
        // Arrange: delta = (4, -2) each round; eta 0.1, beta1 0.9, beta2 0.99, tau 1e-3, v0 = tau^2.
        var model = new float[2];
        var strategy = new FedAdam(2, 0.1f);
        var expected = Reference(rounds: 2, delta: [4, -2], (v, d2) => (0.99 * v) + (0.01 * d2));

        // Act
        strategy.Apply(model, SummedUpdate(), Layout);
        strategy.Apply(model, SummedUpdate(), Layout);

        // Assert
        Assert.That(model, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void FedYogi_TwoRounds_MatchesReddiAlgorithm2()
    {
        // Arrange
        var model = new float[2];
        var strategy = new FedYogi(2, 0.1f);
        var expected = Reference(rounds: 2, delta: [4, -2], (v, d2) => v - (0.01 * d2 * Math.Sign(v - d2)));

        // Act
        strategy.Apply(model, SummedUpdate(), Layout);
        strategy.Apply(model, SummedUpdate(), Layout);

        // Assert
        Assert.That(model, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void FedAdagrad_TwoRounds_MatchesReddiAlgorithm2()
    {
        // Arrange
        var model = new float[2];
        var strategy = new FedAdagrad(2, 0.1f);
        var expected = Reference(rounds: 2, delta: [4, -2], (v, d2) => v + d2);

        // Act
        strategy.Apply(model, SummedUpdate(), Layout);
        strategy.Apply(model, SummedUpdate(), Layout);

        // Assert
        Assert.That(model, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void Apply_ZeroSampleCount_Throws()
    {
        // Arrange
        var sum = new float[Layout.Length];

        // Act / Assert
        Assert.That(() => new FedAvg(2).Apply(new float[2], sum, Layout), Throws.ArgumentException.With.Message.Contains("sample count"));
    }

    [Test]
    public void Apply_WrongVectorLength_Throws()
    {
        // Act / Assert
        Assert.That(() => new FedAvg(2).Apply(new float[2], new float[3], Layout), Throws.ArgumentException);
    }

    private static float[] Reference(int rounds, double[] delta, Func<double, double, double> secondMoment)
    {
        var x = new double[delta.Length];
        var m = new double[delta.Length];
        var v = Enumerable.Repeat(1e-6, delta.Length).ToArray();
        for (var t = 0; t < rounds; t++)
        {
            for (var i = 0; i < x.Length; i++)
            {
                m[i] = (0.9 * m[i]) + (0.1 * delta[i]);
                v[i] = secondMoment(v[i], delta[i] * delta[i]);
                x[i] += 0.1 * m[i] / (Math.Sqrt(v[i]) + 1e-3);
            }
        }

        return [.. x.Select(value => (float)value)];
    }
}
