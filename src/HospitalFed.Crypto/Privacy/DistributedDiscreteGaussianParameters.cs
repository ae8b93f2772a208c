using System.Numerics;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// The public parameters of the distributed discrete Gaussian mechanism (Kairouz, Liu and Steinke,
/// ICML 2021, Algorithm 1), the same at every site and the aggregator. Validated by
/// <see cref="DistributedDiscreteGaussian"/>'s constructor.
/// </summary>
/// <param name="Dimension">d: coordinates of an update; 1 to 2^30.</param>
/// <param name="ClipNorm">c: each site's update is clipped to this L2 norm.</param>
/// <param name="Scale">gamma: clipped, rotated values are multiplied by it before rounding (the integer grid is 1/gamma).</param>
/// <param name="Beta">beta in (0, 1) of the conditional rounding bound; the paper uses e^-0.5.</param>
/// <param name="VarianceNumerator">n in the central noise variance sigma^2 = n / v, in integer (scaled) units.</param>
/// <param name="VarianceDenominator">v in sigma^2 = n / v.</param>
/// <param name="MinContributors">m: each site adds N_Z(0, sigma^2 / m), so any m or more contributors together carry at least sigma^2.</param>
/// <param name="RotationSeed">The 32-byte public seed of the rotation's signs (fresh per round, shared by all parties).</param>
public sealed record DistributedDiscreteGaussianParameters(
    int Dimension,
    double ClipNorm,
    double Scale,
    double Beta,
    BigInteger VarianceNumerator,
    BigInteger VarianceDenominator,
    int MinContributors,
    ReadOnlyMemory<byte> RotationSeed)
{
    /// <summary>Parameters with the central variance given as a double, converted to a rational exactly.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The variance is not finite and positive.</exception>
    public static DistributedDiscreteGaussianParameters WithVariance(int dimension, double clipNorm, double scale, double beta, double variance, int minContributors, ReadOnlyMemory<byte> rotationSeed)
    {
        var (numerator, denominator) = DiscreteGaussianSampler.ExactRational(variance);
        return new(dimension, clipNorm, scale, beta, numerator, denominator, minContributors, rotationSeed);
    }

    /// <summary>Equal when every parameter is, the rotation seed compared by its bytes (not by reference).</summary>
    public bool Equals(DistributedDiscreteGaussianParameters? other) =>
        other is not null
        && Dimension == other.Dimension
        && ClipNorm.Equals(other.ClipNorm)
        && Scale.Equals(other.Scale)
        && Beta.Equals(other.Beta)
        && VarianceNumerator == other.VarianceNumerator
        && VarianceDenominator == other.VarianceDenominator
        && MinContributors == other.MinContributors
        && RotationSeed.Span.SequenceEqual(other.RotationSeed.Span);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Dimension);
        hash.Add(ClipNorm);
        hash.Add(Scale);
        hash.Add(Beta);
        hash.Add(VarianceNumerator);
        hash.Add(VarianceDenominator);
        hash.Add(MinContributors);
        hash.AddBytes(RotationSeed.Span);
        return hash.ToHashCode();
    }

    internal void Validate()
    {
        if (MinContributors < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinContributors), MinContributors, "at least one contributor is needed");
        }

        if (VarianceNumerator.Sign <= 0 || VarianceDenominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(VarianceNumerator), $"the noise variance {VarianceNumerator}/{VarianceDenominator} must be positive");
        }

        if (RotationSeed.Length != MaskPrg.SeedSize)
        {
            throw new ArgumentException($"the rotation seed is {MaskPrg.SeedSize} bytes; got {RotationSeed.Length}", nameof(RotationSeed));
        }
    }
}
