using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy.Internal;

namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// The distributed discrete Gaussian mechanism of Kairouz, Liu and Steinke, "The Distributed
/// Discrete Gaussian Mechanism for Federated Learning with Secure Aggregation" (ICML 2021),
/// Algorithm 1 (client) and Algorithm 2 (server), for one site's encoding and the aggregator's
/// decoding of the secure sum.
/// </summary>
/// <remarks>
/// <para>
/// Site (<see cref="Encode(ReadOnlySpan{float}, Span{uint}, IRandomSource?)"/>): clip x to L2 norm c (<see cref="L2Clipping"/>); rotate
/// (<see cref="RandomizedHadamard"/>, d padded to d' = 2^k); scale by gamma and round
/// conditionally (<see cref="ConditionalRandomizedRounding"/>, so the rounded vector's L2 norm is
/// at most Delta); add a noise share z_i ~ N_Z(0, sigma^2 / m)^d' (<see cref="DiscreteGaussianSampler"/>);
/// write the result in Z_2^32 as two's complement words, ready for pairwise masking.
/// </para>
/// <para>
/// Aggregator (<see cref="DecodeSum"/>): read each word of the sum mod 2^32 as a signed 32-bit
/// integer in [-2^31, 2^31), divide by gamma, apply the inverse rotation, drop the padding. With
/// k contributors the result is sum_i clip(x_i) plus rounding error plus noise whose per-coordinate
/// variance is k sigma^2 / (m gamma^2) (<see cref="DecodedNoiseVariance"/>), at least sigma^2/gamma^2
/// whenever k &gt;= m: a sum of independent discrete Gaussians is not exactly a discrete Gaussian,
/// which the paper's accounting (Theorem 1) covers.
/// </para>
/// <para>
/// Overflow: a coordinate of the true integer sum outside [-2^31, 2^31) wraps by a multiple of
/// 2^32 and decodes to a wrong value (and the inverse rotation spreads the error over every
/// coordinate). Conditional rounding bounds every site's integer vector, hence every coordinate,
/// by Delta = sqrt(<see cref="ConditionalRandomizedRounding.NormBoundSquared"/>), so the signal sum
/// of k sites is at most <see cref="WorstCaseSignalBound"/>(k); choose gamma so that this plus ten
/// standard deviations of the summed noise stays below 2^31 (<see cref="FitsWithoutOverflow"/>).
/// The unit of privacy is whatever one contribution x_i stands for; that is the caller's choice.
/// </para>
/// <para>
/// Cost: with the share drawn ahead, an encoding is two passes over one pooled scratch vector and a
/// sequential noise addition, vectorised, single-threaded and allocation-free (EncodePipeline); at
/// d = 2^20 with n = 10 it costs about 4 ms, a fifth of the site's mean masking time (figures and
/// caveats in docs/performance.md, "Differential privacy"). Every buffer that held the update,
/// the coins or the share is zeroed before it goes back to its pool.
/// </para>
/// <para>Immutable and thread-safe; each <see cref="Encode(ReadOnlySpan{float}, Span{uint}, IRandomSource?)"/> call uses its own samplers.</para>
/// </remarks>
public sealed class DistributedDiscreteGaussian
{
    private const double TwoTo31 = 2147483648.0;

    private readonly RandomizedHadamard _rotation;
    private readonly BigInteger _siteNumerator;
    private readonly BigInteger _siteDenominator;

    /// <summary>Creates the mechanism.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its documented range.</exception>
    /// <exception cref="ArgumentException">The rotation seed is not 32 bytes.</exception>
    public DistributedDiscreteGaussian(DistributedDiscreteGaussianParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _rotation = new RandomizedHadamard(parameters.Dimension, parameters.RotationSeed.Span);
        Rounding = new ConditionalRandomizedRounding(_rotation.PaddedDimension, parameters.ClipNorm, parameters.Scale, parameters.Beta);
        _siteNumerator = parameters.VarianceNumerator;
        _siteDenominator = parameters.VarianceDenominator * parameters.MinContributors;
    }

    /// <summary>The parameters.</summary>
    public DistributedDiscreteGaussianParameters Parameters { get; }

    /// <summary>d': the number of words a site uploads (the dimension rounded up to a power of two).</summary>
    public int PaddedDimension => _rotation.PaddedDimension;

    /// <summary>The conditional rounding, holding the integer-domain norm bound Delta^2.</summary>
    public ConditionalRandomizedRounding Rounding { get; }

    /// <summary>sigma^2 / m: the variance of each site's noise share, in integer units.</summary>
    public double SiteNoiseVariance => (double)_siteNumerator / (double)_siteDenominator;

    /// <summary>k sigma^2 / (m gamma^2): the per-coordinate variance of the decoded noise with k contributors.</summary>
    public double DecodedNoiseVariance(int contributors) =>
        contributors * SiteNoiseVariance / (Parameters.Scale * Parameters.Scale);

    /// <summary>k Delta: no coordinate of k sites' summed integer vectors (before noise) exceeds this in magnitude.</summary>
    public double WorstCaseSignalBound(int contributors) => contributors * Math.Sqrt(Rounding.NormBoundSquared);

    /// <summary>Whether k Delta plus <paramref name="noiseDeviations"/> standard deviations of k sites' summed noise stays below 2^31.</summary>
    public bool FitsWithoutOverflow(int contributors, double noiseDeviations = 10) =>
        WorstCaseSignalBound(contributors) + (noiseDeviations * Math.Sqrt(contributors * SiteNoiseVariance)) < TwoTo31;

    /// <summary>
    /// One site's encoding: clip, rotate, scale and round conditionally, add a fresh noise share, and
    /// write two's complement words of Z_2^32 to <paramref name="destination"/> (length <see cref="PaddedDimension"/>).
    /// </summary>
    /// <param name="update">The site's update, length d; not modified.</param>
    /// <param name="destination">The words to mask and upload.</param>
    /// <param name="random">Rounding coins and noise; default <see cref="CryptographicRandomSource.Shared"/>.</param>
    /// <exception cref="ArgumentException">A length is wrong, or a coordinate of the update is not finite.</exception>
    public void Encode(ReadOnlySpan<float> update, Span<uint> destination, IRandomSource? random = null)
    {
        random ??= CryptographicRandomSource.Shared;
        var noiseArray = ArrayPool<int>.Shared.Rent(PaddedDimension);
        var noise = noiseArray.AsSpan(0, PaddedDimension);
        try
        {
            DrawNoiseShare(noise, random);
            Encode(update, noise, destination, random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(noise));
            ArrayPool<int>.Shared.Return(noiseArray);
        }
    }

    /// <summary>
    /// Draws this site's noise share, N_Z(0, sigma^2 / m) per coordinate, into <paramref name="noiseShare"/>
    /// (length <see cref="PaddedDimension"/>). The share does not depend on the data, so a site can draw
    /// it ahead of time (while it trains) and pass it to <see cref="Encode(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{uint}, IRandomSource?)"/>,
    /// which keeps the exact sampler's cost off the upload path. Each share must be used for one
    /// encoding only and cleared afterwards: a share used twice cancels in the difference of the two uploads.
    /// </summary>
    /// <param name="noiseShare">Receives the share.</param>
    /// <param name="random">The noise's randomness; default <see cref="CryptographicRandomSource.Shared"/>.</param>
    /// <exception cref="ArgumentException">The length is not <see cref="PaddedDimension"/>.</exception>
    public void DrawNoiseShare(Span<int> noiseShare, IRandomSource? random = null)
    {
        if (noiseShare.Length != PaddedDimension)
        {
            throw new ArgumentException($"a noise share has {PaddedDimension} coordinates; got {noiseShare.Length}", nameof(noiseShare));
        }

        using var sampler = new DiscreteGaussianSampler(_siteNumerator, _siteDenominator, random ?? CryptographicRandomSource.Shared);
        sampler.Fill(noiseShare);
    }

    /// <summary>
    /// One site's encoding with a noise share drawn beforehand by <see cref="DrawNoiseShare"/>: clip,
    /// rotate, scale and round conditionally, add <paramref name="noiseShare"/> in Z_2^32, and write
    /// the words to <paramref name="destination"/> (length <see cref="PaddedDimension"/>).
    /// </summary>
    /// <param name="update">The site's update, length d; not modified.</param>
    /// <param name="noiseShare">This encoding's noise share, length <see cref="PaddedDimension"/>; never reuse it.</param>
    /// <param name="destination">The words to mask and upload.</param>
    /// <param name="random">The rounding coins; default <see cref="CryptographicRandomSource.Shared"/>.</param>
    /// <exception cref="ArgumentException">A length is wrong, or a coordinate of the update is not finite.</exception>
    public void Encode(ReadOnlySpan<float> update, ReadOnlySpan<int> noiseShare, Span<uint> destination, IRandomSource? random = null) =>
        Encode(update, noiseShare, destination, random ?? CryptographicRandomSource.Shared, SimdSupport.Best);

    /// <summary>The encoding on an explicit instruction path; every path gives the same words from the same randomness.</summary>
    internal void Encode(ReadOnlySpan<float> update, ReadOnlySpan<int> noiseShare, Span<uint> destination, IRandomSource random, SimdWidth width)
    {
        if (update.Length != Parameters.Dimension || destination.Length != PaddedDimension || noiseShare.Length != PaddedDimension)
        {
            throw new ArgumentException($"encoding takes {Parameters.Dimension} values and a {PaddedDimension}-coordinate noise share to {PaddedDimension} words; got {update.Length}, {noiseShare.Length} and {destination.Length}");
        }

        EncodePipeline.Encode(_rotation, Rounding, Parameters.ClipNorm, update, noiseShare, destination, random, width);
    }

    /// <summary>
    /// The aggregator's decoding of the sum mod 2^32 of the contributors' words: centred signed
    /// value, divided by gamma, inverse rotation, padding dropped; written to <paramref name="destination"/> (length d).
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void DecodeSum(ReadOnlySpan<uint> sum, Span<double> destination)
    {
        if (sum.Length != PaddedDimension || destination.Length != Parameters.Dimension)
        {
            throw new ArgumentException($"decoding takes {PaddedDimension} words to {Parameters.Dimension} values; got {sum.Length} and {destination.Length}");
        }

        var scratch = new double[PaddedDimension];
        var inverseScale = 1.0 / Parameters.Scale;
        for (var i = 0; i < sum.Length; i++)
        {
            scratch[i] = unchecked((int)sum[i]) * inverseScale;
        }

        _rotation.InverseInPlace(scratch, destination);
    }
}
