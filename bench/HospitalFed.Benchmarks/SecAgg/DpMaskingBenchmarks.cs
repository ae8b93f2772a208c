using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// Issue 16's cost bar, side by side in one run: a site masking d = 1M coordinates with n = 10
/// (the full MaskedInput stage) with and without the distributed discrete Gaussian encode before
/// it (clip, randomised Hadamard rotation to 2^20, conditional rounding, exact N_Z noise share
/// from the cryptographic source). The bar is DP + masking at most 1.3x of masking.
/// Parameters: c = 1, gamma = 4096, central sigma^2 = 2^24 (sigma = 4096, about one Delta, so a
/// noise multiplier near 1), m = 10 (each share sigma^2 / 10, sigma about 1295).
/// </summary>
[MemoryDiagnoser]
public class DpMaskingBenchmarks : SecAggRoundBenchmarks
{
    private readonly uint[] _words = new uint[1 << 20];
    private readonly float[] _update = UniformUpdate();
    private readonly int[] _share = new int[1 << 20];
    private readonly DistributedDiscreteGaussian _mechanism = new(DistributedDiscreteGaussianParameters.WithVariance(
        Dimension, clipNorm: 1.0, scale: 4096.0, beta: Math.Exp(-0.5), variance: 16_777_216.0, minContributors: 10, rotationSeed: new byte[32]));

    protected override int Sites => 10;

    [IterationSetup(Targets = [nameof(SiteMasksOneUpdate), nameof(SiteEncodesDpThenMasks), nameof(SiteEncodesDpWithShareDrawnAheadThenMasks), nameof(DpEncodeWithShareDrawnAheadOnly)])]
    public void PrepareMasking()
    {
        PrepareRound(round => round.ToReadyToMask());
        _mechanism.DrawNoiseShare(_share, CryptographicRandomSource.Shared); // while the site trains, off the upload path
    }

    /// <summary>One site's full MaskedInput stage, no DP.</summary>
    [Benchmark]
    public long SiteMasksOneUpdate() => MaskedWords(Round, site: 0);

    /// <summary>The DP encode of the same update, then the same MaskedInput stage.</summary>
    [Benchmark]
    public long SiteEncodesDpThenMasks()
    {
        _mechanism.Encode(Round.Input, _words, CryptographicRandomSource.Shared);
        return _words[0] + MaskedWords(Round, site: 0);
    }

    /// <summary>The DP encode with the noise share drawn ahead (during training), then the same MaskedInput stage.</summary>
    [Benchmark]
    public long SiteEncodesDpWithShareDrawnAheadThenMasks()
    {
        _mechanism.Encode(Round.Input, _share, _words, CryptographicRandomSource.Shared);
        return _words[0] + MaskedWords(Round, site: 0);
    }

    /// <summary>The DP encode with the share drawn ahead, alone: what the site adds to its upload path.</summary>
    [Benchmark]
    public uint DpEncodeWithShareDrawnAheadOnly()
    {
        _mechanism.Encode(_update, _share, _words, CryptographicRandomSource.Shared);
        return _words[0];
    }

    /// <summary>The one-shot DP encode alone (noise share drawn inside).</summary>
    [Benchmark]
    public uint DpEncodeOnly()
    {
        _mechanism.Encode(_update, _words, CryptographicRandomSource.Shared);
        return _words[0];
    }

    private static float[] UniformUpdate()
    {
        var random = new Random(42);
        return Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
