using HospitalFed.Crypto.SecAgg;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class SecAggRoundTests
{
    private static readonly DropPoint[] DropPoints = [DropPoint.BeforeShareKeys, DropPoint.AfterShareKeys, DropPoint.AfterMaskedInput, DropPoint.DuringUnmasking];

    private TestSites _sites = null!;

    [OneTimeSetUp]
    public void CreateSites() => _sites = new TestSites(50);

    [OneTimeTearDown]
    public void DisposeSites() => _sites.Dispose();

    [TestCase(3, 2, 200)]
    [TestCase(5, 3, 200)]
    [TestCase(10, 7, 130)]
    [TestCase(50, 34, 8)]
    public void Run_NoDropout_SumIsExact(int n, int threshold, int dimension)
    {
        using var harness = new SecAggHarness(_sites, n, threshold, dimension);

        var aggregate = harness.Run();

        harness.AssertSumOf(aggregate, Enumerable.Range(0, n));
        Assert.That(aggregate.Dropped, Is.Empty);
        Assert.That(harness.Sites.Select(s => s.Stage), Has.All.EqualTo(SiteStage.Completed));
        Assert.That(harness.Aggregator.Stage, Is.EqualTo(AggregatorStage.Completed));
    }

    [Test]
    public void Run_EveryDropoutPatternWithinNMinusT_SumOfSurvivorsIsExact()
    {
        // n = 5, t = 3: every way for up to n - t = 2 sites to drop, each at any of the four points.
        const int n = 5;
        var patterns = new List<Dictionary<int, DropPoint>> { new() };
        for (var a = 0; a < n; a++)
        {
            foreach (var pa in DropPoints)
            {
                patterns.Add(new() { [a] = pa });
                for (var b = a + 1; b < n; b++)
                {
                    patterns.AddRange(DropPoints.Select(pb => new Dictionary<int, DropPoint> { [a] = pa, [b] = pb }));
                }
            }
        }

        Assert.That(patterns, Has.Count.EqualTo(1 + 20 + 160));
        foreach (var drops in patterns)
        {
            using var harness = new SecAggHarness(_sites, n, 3, 12, drops: drops, seed: patterns.IndexOf(drops));

            var aggregate = harness.Run();

            // Sites that sent their masked input are in the sum, whatever happened to them after.
            var contributors = Enumerable.Range(0, n).Where(i => drops.GetValueOrDefault(i) is DropPoint.None or DropPoint.AfterMaskedInput or DropPoint.DuringUnmasking);
            harness.AssertSumOf(aggregate, contributors);
        }
    }

    [TestCase(DropPoint.BeforeShareKeys)]
    [TestCase(DropPoint.AfterShareKeys)]
    [TestCase(DropPoint.AfterMaskedInput)]
    [TestCase(DropPoint.DuringUnmasking)]
    public void Run_MoreThanNMinusTDrop_AbortsWithTooFewSurvivors(DropPoint point)
    {
        const int n = 5;
        foreach (var dropped in Triples(n))
        {
            using var harness = new SecAggHarness(_sites, n, 3, 12, drops: dropped.ToDictionary(i => i, _ => point));

            var error = Assert.Throws<SecAggException>(() => harness.Run());

            Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.TooFewSurvivors), string.Join(",", dropped));
            Assert.That(harness.Aggregator.Stage, Is.EqualTo(AggregatorStage.Aborted));
        }
    }

    [Test]
    public void Run_DropoutsAtDifferentPointsBeyondNMinusT_Aborts()
    {
        var drops = new Dictionary<int, DropPoint> { [0] = DropPoint.AfterShareKeys, [1] = DropPoint.AfterMaskedInput, [2] = DropPoint.DuringUnmasking };
        using var harness = new SecAggHarness(_sites, 5, 3, 12, drops: drops);

        var error = Assert.Throws<SecAggException>(() => harness.Run());

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.TooFewSurvivors));
    }

    [Test]
    public void Run_SecAggPlusFiftySitesWithDropouts_SumOfSurvivorsIsExact()
    {
        var drops = new Dictionary<int, DropPoint> { [3] = DropPoint.BeforeShareKeys, [17] = DropPoint.AfterShareKeys, [29] = DropPoint.AfterShareKeys, [41] = DropPoint.DuringUnmasking };
        using var harness = new SecAggHarness(_sites, 50, threshold: 7, dimension: 8, neighbours: 10, drops: drops);

        var aggregate = harness.Run();

        harness.AssertSumOf(aggregate, Enumerable.Range(0, 50).Where(i => i is not 3 and not 17 and not 29));
        Assert.That(aggregate.Dropped, Is.EqualTo(new[] { "site-17", "site-29" }));
    }

    [Test]
    public void Run_SecAggPlusEverySingleDropout_SumIsExact()
    {
        foreach (var point in DropPoints)
        {
            for (var dropped = 0; dropped < 12; dropped++)
            {
                using var harness = new SecAggHarness(_sites, 12, threshold: 3, dimension: 6, neighbours: 4, drops: new Dictionary<int, DropPoint> { [dropped] = point });

                var aggregate = harness.Run();

                var contributors = Enumerable.Range(0, 12).Where(i => i != dropped || point is DropPoint.AfterMaskedInput or DropPoint.DuringUnmasking);
                harness.AssertSumOf(aggregate, contributors);
            }
        }
    }

    [Test]
    public void Run_SecAggPlus_SitesOnlyExchangeSharesWithNeighbours()
    {
        using var harness = new SecAggHarness(_sites, 20, threshold: 4, dimension: 4, neighbours: 6);

        harness.AdvertiseKeys();
        harness.ShareKeys();

        Assert.That(harness.Deliveries.Select(d => d.Shares.Count), Has.All.EqualTo(6));
        foreach (var delivery in harness.Deliveries)
        {
            var recipient = harness.Index(delivery.Recipient);
            Assert.That(delivery.Shares.Select(s => harness.Index(s.Sender)), Is.EquivalentTo(harness.Parameters.Graph.NeighboursOf(recipient)));
        }
    }

    private static IEnumerable<int[]> Triples(int n)
    {
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                for (var c = b + 1; c < n; c++)
                {
                    yield return [a, b, c];
                }
            }
        }
    }
}
