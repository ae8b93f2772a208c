using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>Drives one in-process round up to a chosen stage, so a benchmark can time just the next step.</summary>
internal sealed class BenchRound : IDisposable
{
    public BenchRound(BenchConsortium consortium, int sites, int dimension, int neighbours = 0, int? threshold = null, int chunkWords = SecAggParameters.DefaultChunkWords)
    {
        var plan = new QuantizationPlan([new QuantizationSegment("weighted-delta", dimension, 1.0, ClipMode.PerCoordinate)], sites);
        var holders = neighbours == 0 ? sites : neighbours + 1;
        Parameters = new SecAggParameters(new string('a', 64), 1, consortium.Identities.Take(sites).Select(i => i.Name), threshold ?? ((2 * holders / 3) + 1), plan, neighbours, chunkWords);
        Sites = consortium.Identities.Take(sites).Select(i => new SiteSession(Parameters, i, consortium.Trust)).ToArray();
        Aggregator = new AggregatorSession(Parameters, consortium.Trust);
        var random = new Random(42);
        Input = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    public SecAggParameters Parameters { get; }

    public SiteSession[] Sites { get; }

    public AggregatorSession Aggregator { get; }

    public float[] Input { get; }

    /// <summary>Runs AdvertiseKeys and ShareKeys: every site is ready to mask.</summary>
    public void ToReadyToMask()
    {
        foreach (var site in Sites)
        {
            Aggregator.Receive(site.AdvertiseKeys());
        }

        var advertised = Aggregator.CloseKeyAdvertisement();
        foreach (var site in Sites)
        {
            Aggregator.Receive(site.ShareKeys(advertised));
        }

        foreach (var delivery in Aggregator.CloseShareKeys())
        {
            Sites[Parameters.IndexOf(delivery.Recipient)].ReceiveShares(delivery);
        }
    }

    /// <summary>Runs the round up to the last unmask response; the first <paramref name="dropouts"/> sites drop after ShareKeys.</summary>
    public void ToFinish(int dropouts)
    {
        ToReadyToMask();
        foreach (var site in Sites.Skip(dropouts))
        {
            foreach (var chunk in site.MaskInput(Input))
            {
                Aggregator.Receive(chunk);
            }
        }

        var survivors = Aggregator.CloseMaskedInput();
        foreach (var site in Sites.Skip(dropouts))
        {
            Aggregator.Receive(site.CheckConsistency(survivors));
        }

        foreach (var request in Aggregator.CloseConsistencyCheck())
        {
            Aggregator.Receive(Sites[Parameters.IndexOf(request.Recipient)].Unmask(request));
        }
    }

    public void Dispose()
    {
        foreach (var site in Sites)
        {
            site.Dispose();
        }

        Aggregator.Dispose();
    }
}
