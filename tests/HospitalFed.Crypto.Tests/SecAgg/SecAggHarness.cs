using Google.Protobuf;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Crypto.Tests.Primitives;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.SecAgg;

/// <summary>
/// All parties of one round in one process: n site sessions and the aggregator, with the
/// stages callable one at a time so tests can tamper with what the aggregator forwards.
/// </summary>
internal sealed class SecAggHarness : IDisposable
{
    public const string PlanId = "5e1f2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const int CountBound = 10_000;

    private readonly Dictionary<int, DropPoint> _drops;

    public SecAggHarness(TestSites sites, int n, int threshold, int dimension, int neighbours = 0, long round = 1, int seed = 1, IReadOnlyDictionary<int, DropPoint>? drops = null)
    {
        _drops = drops?.ToDictionary() ?? [];
        Plan = new QuantizationPlan(
            [new QuantizationSegment("weighted-delta", dimension, 1.0, ClipMode.PerCoordinate), new QuantizationSegment("sample-count", 1, CountBound, ClipMode.None, IsInteger: true)],
            maxSites: n);
        var identities = sites.Identities.Take(n).ToArray();
        Parameters = new SecAggParameters(PlanId, round, identities.Select(i => i.Name), threshold, Plan, neighbours, chunkWords: 64);
        Sites = identities.Select((identity, i) => new SiteSession(Parameters, identity, sites.Trust, random: new SeededRandom((seed * 1000) + i))).ToArray();
        Aggregator = new AggregatorSession(Parameters, sites.Trust);
        var random = new Random(seed);
        Inputs = Sites.Select((_, i) => Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).Append(10 * (i + 1)).ToArray()).ToArray();
    }

    public QuantizationPlan Plan { get; }

    public SecAggParameters Parameters { get; }

    public SiteSession[] Sites { get; }

    public AggregatorSession Aggregator { get; }

    public float[][] Inputs { get; }

    /// <summary>Every message exchanged so far, for round-trip tests.</summary>
    public List<IMessage> Transcript { get; } = [];

    public SecAggAdvertisedKeys? Advertised { get; private set; }

    public IReadOnlyList<SecAggShareDelivery> Deliveries { get; private set; } = [];

    public SecAggSurvivorSet? Survivors { get; private set; }

    public IReadOnlyList<SecAggUnmaskRequest> UnmaskRequests { get; private set; } = [];

    public SecAggAggregate Run()
    {
        AdvertiseKeys();
        ShareKeys();
        ReceiveShares();
        MaskInputs();
        CheckConsistency();
        return Unmask();
    }

    public void AdvertiseKeys()
    {
        foreach (var site in Sites)
        {
            Aggregator.Receive(Record(site.AdvertiseKeys()));
        }

        Advertised = Record(Aggregator.CloseKeyAdvertisement());
    }

    public void ShareKeys()
    {
        foreach (var (site, i) in Sites.Select((s, i) => (s, i)))
        {
            if (Drop(i) != DropPoint.BeforeShareKeys)
            {
                Aggregator.Receive(Record(site.ShareKeys(Advertised!)));
            }
        }

        Deliveries = Aggregator.CloseShareKeys();
        Deliveries.ToList().ForEach(d => Record(d));
    }

    public void ReceiveShares()
    {
        foreach (var delivery in Deliveries)
        {
            Site(delivery.Recipient).ReceiveShares(delivery);
        }
    }

    public void MaskInputs()
    {
        foreach (var (site, i) in Sites.Select((s, i) => (s, i)))
        {
            if (site.Stage == SiteStage.ReadyToMask && Drop(i) != DropPoint.AfterShareKeys)
            {
                foreach (var chunk in site.MaskInput(Inputs[i]))
                {
                    Aggregator.Receive(Record(chunk));
                }
            }
        }

        Survivors = Record(Aggregator.CloseMaskedInput());
    }

    public void CheckConsistency()
    {
        foreach (var name in Survivors!.Survivors)
        {
            if (Drop(Index(name)) != DropPoint.AfterMaskedInput)
            {
                Aggregator.Receive(Record(Site(name).CheckConsistency(Survivors)));
            }
        }

        UnmaskRequests = Aggregator.CloseConsistencyCheck();
        UnmaskRequests.ToList().ForEach(r => Record(r));
    }

    public SecAggAggregate Unmask()
    {
        foreach (var request in UnmaskRequests)
        {
            if (Drop(Index(request.Recipient)) != DropPoint.DuringUnmasking)
            {
                Aggregator.Receive(Record(Site(request.Recipient).Unmask(request)));
            }
        }

        return Aggregator.Finish();
    }

    public SiteSession Site(string name) => Sites[Index(name)];

    public int Index(string name) => Parameters.IndexOf(name);

    /// <summary>Checks the aggregate against the plain sum of the contributors' inputs.</summary>
    public void AssertSumOf(SecAggAggregate aggregate, IEnumerable<int> contributors)
    {
        var expectedNames = contributors.Select(i => Sites[i].Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.That(aggregate.Contributors, Is.EqualTo(expectedNames));
        var decoded = aggregate.Decode();
        var dimension = Parameters.Dimension - 1;
        var step = 1 / Plan.Scale(0);
        for (var k = 0; k < dimension; k++)
        {
            var expected = expectedNames.Sum(n => (double)Inputs[Index(n)][k]);
            Assert.That(decoded[k], Is.EqualTo(expected).Within(expectedNames.Length * step), $"coordinate {k}");
        }

        Assert.That(decoded[dimension], Is.EqualTo(expectedNames.Sum(n => (double)Inputs[Index(n)][dimension])), "the sample count is exact");
    }

    public void Dispose()
    {
        foreach (var site in Sites)
        {
            site.Dispose();
        }

        Aggregator.Dispose();
    }

    private DropPoint Drop(int index) => _drops.GetValueOrDefault(index);

    private T Record<T>(T message)
        where T : IMessage
    {
        Transcript.Add(message);
        return message;
    }
}
