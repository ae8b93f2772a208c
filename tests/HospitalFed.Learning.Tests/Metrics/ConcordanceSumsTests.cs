using HospitalFed.Learning.Metrics;

namespace HospitalFed.Learning.Tests.Metrics;

public sealed class ConcordanceSumsTests
{
    [Test]
    public void Estimate_SummedSiteCountsOfSyntheticCoxData_WithinTheDerivedBoundOfTheExactPairwiseIndex()
    {
        // Arrange: 3 sites, 1,500 subjects, exponential times with hazard exp(eta), 30% censored, 40 time edges.
        var random = new Random(11);
        var sites = Enumerable.Range(0, 3).Select(_ => Subjects(random, 500)).ToArray();
        var edges = QuantileEdges(sites.SelectMany(s => s.Times), 40);
        var sum = SumOver(sites, edges);
        var pooled = Pool(sites);

        // Act
        var secure = ConcordanceSums.ReadFrom(sum, edges);
        var exact = PairwiseIndex(pooled.Risks, pooled.Times, pooled.Events);

        // Assert: the exact index is inside the bound, and the bound is informative with 40 time bins.
        TestContext.Out.WriteLine($"exact {exact:F4}, estimate {secure.Estimate:F4} +/- {secure.ErrorBound:F4}");
        Assert.Multiple(() =>
        {
            Assert.That(Math.Abs(secure.Estimate - exact), Is.LessThanOrEqualTo(secure.ErrorBound));
            Assert.That(secure.ErrorBound, Is.LessThan(0.05));
            Assert.That(exact, Is.GreaterThan(0.6), "the synthetic risk is predictive");
        });
    }

    [Test]
    public void Estimate_DistinctTimeAndRiskBinsPerSubject_EqualsTheExactPairwiseIndexWithZeroBound()
    {
        // Arrange: every subject in its own time bin (edges between consecutive times) and its own risk bin.
        var times = new float[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var risks = new float[] { 2, -1, 1.5f, 3, -2, 0.5f, 1, -3 };
        var events = new float[] { 1, 0, 1, 1, 0, 1, 1, 0 };
        var edges = times.Skip(1).Select(t => t - 0.5).ToArray();

        // Act
        var sums = ConcordanceSums.From(risks, times, events, edges);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sums.Estimate, Is.EqualTo(PairwiseIndex(risks, times, events)).Within(1e-12));
            Assert.That(sums.ErrorBound, Is.EqualTo(0));
        });
    }

    [Test]
    public void Estimate_OneTimeBinForEverySubject_BoundCoversTheWholeUnknownRange()
    {
        // Arrange: no edges, so no pair is certainly comparable.
        var sums = ConcordanceSums.From([1f, 2f], [1f, 2f], [1f, 1f], []);

        // Act / Assert
        Assert.That(sums.Estimate, Is.NaN);
    }

    [Test]
    public void ReadFrom_WrongLengthOrNegativeCount_ThrowsNamingTheProblem()
    {
        double[] edges = [1, 2];
        var ok = new double[ConcordanceSums.LengthFor(edges.Length)];
        var negative = (double[])ok.Clone();
        negative[5] = -3;

        Assert.Multiple(() =>
        {
            Assert.That(() => ConcordanceSums.ReadFrom(ok.AsSpan(1), edges), Throws.ArgumentException.With.Message.Contains("2 time edges"));
            Assert.That(() => ConcordanceSums.ReadFrom(negative, edges), Throws.ArgumentException.With.Message.Contains("sum 5 is -3"));
            Assert.That(() => ConcordanceSums.ReadFrom(ok, [2, 1]), Throws.ArgumentException.With.Message.Contains("strictly increasing"));
        });
    }

    [Test]
    public void From_NonFiniteTime_ThrowsNamingTheSubject()
    {
        Assert.That(
            () => ConcordanceSums.From([0f, 1f], [1f, float.NaN], [1f, 0f], [1.5]),
            Throws.ArgumentException.With.Message.Contains("Subject 1"));
    }

    [Test]
    public void WriteTo_ThenReadFrom_RoundTripsTheEstimate()
    {
        var random = new Random(3);
        var (risks, times, events) = Subjects(random, 200);
        double[] edges = QuantileEdges(times, 10);
        var sums = ConcordanceSums.From(risks, times, events, edges);
        var vector = new double[sums.Length];

        sums.WriteTo(vector);
        var read = ConcordanceSums.ReadFrom(vector, edges);

        Assert.That(read.Estimate, Is.EqualTo(sums.Estimate));
    }

    /// <summary>Harrell's C by definition, over all ordered pairs: O(n^2), the reference.</summary>
    private static double PairwiseIndex(float[] risks, float[] times, float[] events)
    {
        double concordant = 0, comparable = 0;
        for (var i = 0; i < times.Length; i++)
        {
            for (var j = 0; j < times.Length; j++)
            {
                if (events[i] == 1 && times[i] < times[j])
                {
                    comparable++;
                    concordant += risks[i] > risks[j] ? 1 : risks[i] == risks[j] ? 0.5 : 0;
                }
            }
        }

        return concordant / comparable;
    }

    private static (float[] Risks, float[] Times, float[] Events) Subjects(Random random, int n)
    {
        var risks = new float[n];
        var times = new float[n];
        var events = new float[n];
        for (var i = 0; i < n; i++)
        {
            var x = (random.NextDouble() * 4) - 2;
            risks[i] = (float)(0.8 * x);
            var eventTime = -Math.Log(1 - random.NextDouble()) / Math.Exp(x); // true hazard exp(x)
            var censorTime = -Math.Log(1 - random.NextDouble()) / 0.4;
            times[i] = (float)Math.Min(eventTime, censorTime);
            events[i] = eventTime <= censorTime ? 1 : 0;
        }

        return (risks, times, events);
    }

    private static double[] QuantileEdges(IEnumerable<float> times, int count)
    {
        var sorted = times.Order().ToArray();
        return [.. Enumerable.Range(1, count).Select(q => (double)sorted[q * sorted.Length / (count + 1)]).Distinct()];
    }

    private static double[] SumOver((float[] Risks, float[] Times, float[] Events)[] sites, double[] edges)
    {
        var sum = new double[ConcordanceSums.LengthFor(edges.Length)];
        var vector = new double[sum.Length];
        foreach (var (risks, times, events) in sites)
        {
            ConcordanceSums.From(risks, times, events, edges).WriteTo(vector);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += vector[i];
            }
        }

        return sum;
    }

    private static (float[] Risks, float[] Times, float[] Events) Pool((float[] Risks, float[] Times, float[] Events)[] sites) =>
        ([.. sites.SelectMany(s => s.Risks)], [.. sites.SelectMany(s => s.Times)], [.. sites.SelectMany(s => s.Events)]);
}
