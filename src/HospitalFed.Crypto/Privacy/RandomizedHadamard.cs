using System.Numerics;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Crypto.Privacy.Internal;

namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// The randomised Hadamard rotation x -> H D x / sqrt(d') and its inverse y -> D H y / sqrt(d'),
/// where d' is the dimension padded to a power of two (the padding is zeros), H the d' x d'
/// Walsh-Hadamard matrix (entries +-1, H H = d' I) and D a diagonal of random signs expanded from a
/// 32-byte seed that all parties share. The map is orthonormal, so it keeps L2 norms, and it
/// spreads a vector's mass evenly: after it, each coordinate is of order ||x|| / sqrt(d') with high
/// probability, which is what makes quantisation to a coarse integer grid cheap in norm.
/// Kairouz, Liu and Steinke, "The Distributed Discrete Gaussian Mechanism for Federated Learning
/// with Secure Aggregation" (ICML 2021), Section 4 (flattening) and Algorithm 1, line "rotate".
/// </summary>
/// <remarks>
/// <para>Speed: a cache-blocked fast Walsh-Hadamard transform on AVX-512 or AVX2 when the machine
/// has them (<see cref="BlockedRotation"/>: two passes over memory for d' = 2^20), the sign flips
/// fused into the first pass and the normalisation into the last; the signs are kept as bits
/// (d'/8 bytes). Every width performs the same floating-point operations in the same order as the
/// textbook scalar loop, so the output is bit for bit the same on every machine.</para>
/// <para>Immutable after construction and safe to share between threads.</para>
/// </remarks>
public sealed class RandomizedHadamard
{
    private readonly BlockedRotation _blocked;
    private readonly double _normaliser;

    /// <summary>Creates the rotation of vectors of <paramref name="dimension"/> coordinates.</summary>
    /// <param name="dimension">d, the unpadded length; 1 to 2^30.</param>
    /// <param name="seed">The shared 32-byte seed of the signs D (public: it only has to be independent of the data).</param>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside [1, 2^30].</exception>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public RandomizedHadamard(int dimension, ReadOnlySpan<byte> seed)
    {
        if (dimension is < 1 or > 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the dimension must be between 1 and 2^30");
        }

        if (seed.Length != MaskPrg.SeedSize)
        {
            throw new ArgumentException($"the rotation seed is {MaskPrg.SeedSize} bytes; got {seed.Length}", nameof(seed));
        }

        Dimension = dimension;
        PaddedDimension = (int)BitOperations.RoundUpToPowerOf2((uint)dimension);
        _normaliser = 1.0 / Math.Sqrt(PaddedDimension);

        // Sign i is bit i of the PRG stream's word i / 32: set means -1.
        var signBits = new uint[(PaddedDimension + 31) / 32];
        using (var prg = new MaskPrg(seed))
        {
            prg.Generate(0, signBits);
        }

        _blocked = new BlockedRotation(PaddedDimension, signBits);
    }

    /// <summary>d: the length of the vectors rotated.</summary>
    public int Dimension { get; }

    /// <summary>d': <see cref="Dimension"/> rounded up to a power of two, the length of a rotated vector.</summary>
    public int PaddedDimension { get; }

    /// <summary>1 / sqrt(d').</summary>
    internal double Normaliser => _normaliser;

    internal BlockedRotation Blocked => _blocked;

    /// <summary>Writes H D x / sqrt(d') to <paramref name="destination"/> (length d').</summary>
    /// <exception cref="ArgumentException">The lengths are not d and d'.</exception>
    public void Rotate(ReadOnlySpan<float> x, Span<double> destination) => Rotate(x, destination, SimdSupport.Best);

    /// <summary>Writes the first d coordinates of D H y / sqrt(d') to <paramref name="destination"/>, overwriting <paramref name="y"/> (length d') as scratch.</summary>
    /// <exception cref="ArgumentException">The lengths are not d' and d.</exception>
    public void InverseInPlace(Span<double> y, Span<double> destination) => InverseInPlace(y, destination, SimdSupport.Best);

    /// <summary><see cref="Rotate(ReadOnlySpan{float}, Span{double})"/> on an explicit instruction path (tests compare them).</summary>
    internal void Rotate(ReadOnlySpan<float> x, Span<double> destination, SimdWidth width)
    {
        CheckLengths(x.Length, Dimension, destination.Length, PaddedDimension);
        _blocked.LoadAndTransformBlocks(x, destination, width);
        var sink = new ScaleSink(destination, _normaliser);
        _blocked.FinishTransform(destination, ref sink, clearSource: false, width);
    }

    /// <summary><see cref="InverseInPlace(Span{double}, Span{double})"/> on an explicit instruction path.</summary>
    internal void InverseInPlace(Span<double> y, Span<double> destination, SimdWidth width)
    {
        CheckLengths(y.Length, PaddedDimension, destination.Length, Dimension);
        _blocked.TransformBlocks(y, width);
        var sink = new ScaleSink(y, _normaliser);
        _blocked.FinishTransform(y, ref sink, clearSource: false, width);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = y[i] * _blocked.Sign(i);
        }
    }

    /// <summary>The textbook scalar rotation (sign flips, <see cref="WalshHadamard.TransformScalar"/>, normalisation) that every fast path must equal.</summary>
    internal void RotateReference(ReadOnlySpan<float> x, Span<double> destination)
    {
        CheckLengths(x.Length, Dimension, destination.Length, PaddedDimension);
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] * _blocked.Sign(i);
        }

        destination[x.Length..].Clear();
        WalshHadamard.TransformScalar(destination);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] *= _normaliser;
        }
    }

    private static void CheckLengths(int input, int expectedInput, int output, int expectedOutput)
    {
        if (input != expectedInput || output != expectedOutput)
        {
            throw new ArgumentException($"the rotation maps {expectedInput} values to {expectedOutput}; got {input} and {output}");
        }
    }
}
