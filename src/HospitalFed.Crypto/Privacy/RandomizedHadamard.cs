using System.Numerics;
using HospitalFed.Crypto.Primitives;

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
/// <remarks>Immutable after construction and safe to share between threads.</remarks>
public sealed class RandomizedHadamard
{
    private readonly double[] _signs;
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
        var words = new uint[(PaddedDimension + 31) / 32];
        using (var prg = new MaskPrg(seed))
        {
            prg.Generate(0, words);
        }

        _signs = new double[PaddedDimension];
        for (var i = 0; i < PaddedDimension; i++)
        {
            _signs[i] = ((words[i >> 5] >> (i & 31)) & 1) == 0 ? 1.0 : -1.0;
        }
    }

    /// <summary>d: the length of the vectors rotated.</summary>
    public int Dimension { get; }

    /// <summary>d': <see cref="Dimension"/> rounded up to a power of two, the length of a rotated vector.</summary>
    public int PaddedDimension { get; }

    /// <summary>Writes H D x / sqrt(d') to <paramref name="destination"/> (length d').</summary>
    /// <exception cref="ArgumentException">The lengths are not d and d'.</exception>
    public void Rotate(ReadOnlySpan<float> x, Span<double> destination)
    {
        CheckLengths(x.Length, Dimension, destination.Length, PaddedDimension);
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] * _signs[i];
        }

        destination[x.Length..].Clear();
        Transform(destination);
    }

    /// <summary>Writes the first d coordinates of D H y / sqrt(d') to <paramref name="destination"/>, overwriting <paramref name="y"/> (length d') as scratch.</summary>
    /// <exception cref="ArgumentException">The lengths are not d' and d.</exception>
    public void InverseInPlace(Span<double> y, Span<double> destination)
    {
        CheckLengths(y.Length, PaddedDimension, destination.Length, Dimension);
        Transform(y);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = y[i] * _signs[i];
        }
    }

    private static void CheckLengths(int input, int expectedInput, int output, int expectedOutput)
    {
        if (input != expectedInput || output != expectedOutput)
        {
            throw new ArgumentException($"the rotation maps {expectedInput} values to {expectedOutput}; got {input} and {output}");
        }
    }

    /// <summary>In-place fast Walsh-Hadamard transform, then the 1/sqrt(d') normalisation.</summary>
    private void Transform(Span<double> v)
    {
        var width = Vector<double>.Count;
        for (var h = 1; h < v.Length; h <<= 1)
        {
            for (var start = 0; start < v.Length; start += h << 1)
            {
                var low = v.Slice(start, h);
                var high = v.Slice(start + h, h);
                var j = 0;
                for (; j + width <= h; j += width)
                {
                    var a = new Vector<double>(low[j..]);
                    var b = new Vector<double>(high[j..]);
                    (a + b).CopyTo(low[j..]);
                    (a - b).CopyTo(high[j..]);
                }

                for (; j < h; j++)
                {
                    var a = low[j];
                    var b = high[j];
                    low[j] = a + b;
                    high[j] = a - b;
                }
            }
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(v, _normaliser, v);
    }
}
