using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// The distributions CKKS draws from. Secret-dependent work (ternary secrets, Gaussian errors,
/// smudging noise) runs in constant time: no branch or table index depends on a sampled value.
/// Only uniform sampling modulo q rejects, and it rejects on discarded randomness alone.
/// </summary>
internal static class Sampler
{
    /// <summary>Gaussian tail cut: |e| &lt;= 19, about 6 sigma (SEAL's noise_max_deviation).</summary>
    public const int GaussianBound = 19;

    // CdtThresholds[k-1] = floor(2^63 * P(|X| >= k)) for the discrete Gaussian of sigma 3.2 on [-19, 19].
    private static readonly ulong[] CdtThresholds = BuildCdt();

    /// <summary>Uniform ternary values in {-1, 0, 1} (HE standard §2.1 secret distribution).</summary>
    public static void Ternary(IRandomSource random, Span<long> destination)
    {
        var words = ArrayPool<ulong>.Shared.Rent(destination.Length);
        try
        {
            var span = words.AsSpan(0, destination.Length);
            random.Fill(MemoryMarshal.AsBytes(span));
            for (var i = 0; i < destination.Length; i++)
            {
                // floor(r * 3 / 2^64) in {0, 1, 2}, bias below 2^-62 per value
                destination[i] = (long)System.Math.BigMul(span[i], 3UL, out _) - 1;
            }

            span.Clear();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
        }
    }

    /// <summary>Discrete Gaussian values with sigma 3.2, by a full scan of the cumulative table (constant time).</summary>
    public static void Gaussian(IRandomSource random, Span<long> destination)
    {
        var samples = MemoryMarshal.Cast<long, ulong>(destination);
        random.Fill(MemoryMarshal.AsBytes(samples));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(long.MaxValue).AsUInt64();
            for (; i + Vector256<ulong>.Count <= samples.Length; i += Vector256<ulong>.Count)
            {
                var r = Vector256.Create<ulong>(samples.Slice(i, Vector256<ulong>.Count));
                var sign = Vector256.ShiftRightLogical(r, 63);
                var magnitude63 = r & mask;
                var count = Vector256<ulong>.Zero;
                foreach (var threshold in CdtThresholds)
                {
                    count += Vector256.ShiftRightLogical(magnitude63 - Vector256.Create(threshold), 63);
                }

                var negate = Vector256<ulong>.Zero - sign;
                ((count ^ negate) + sign).CopyTo(samples.Slice(i, Vector256<ulong>.Count));
            }
        }

        for (; i < samples.Length; i++)
        {
            var r = samples[i];
            var sign = r >> 63;
            var magnitude63 = r & long.MaxValue;
            var count = 0UL;
            foreach (var threshold in CdtThresholds)
            {
                count += (magnitude63 - threshold) >> 63;
            }

            samples[i] = (count ^ (0UL - sign)) + sign;
        }
    }

    /// <summary>Uniform integers in [-bound, bound] (smudging noise), from 128 random bits each (bias below 2^-64).</summary>
    public static void Uniform(IRandomSource random, long bound, Span<long> destination)
    {
        if (bound < 0 || bound > (1L << 62))
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "smudging bounds must lie in [0, 2^62]");
        }

        var range = (2 * (ulong)bound) + 1;
        var words = ArrayPool<ulong>.Shared.Rent(2 * destination.Length);
        try
        {
            var span = words.AsSpan(0, 2 * destination.Length);
            random.Fill(MemoryMarshal.AsBytes(span));
            for (var i = 0; i < destination.Length; i++)
            {
                // floor(r * range / 2^128) for a 128-bit r = (hi, lo)
                var carry = System.Math.BigMul(span[2 * i], range, out _);
                var high = System.Math.BigMul(span[(2 * i) + 1], range, out var low);
                high += (low + carry < low) ? 1UL : 0UL;
                destination[i] = (long)high - bound;
            }

            span.Clear();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
        }
    }

    /// <summary>Uniform residues in [0, q) by rejection on fresh random words (public or secret use alike: only rejected words are discarded).</summary>
    public static void UniformModulo(IRandomSource random, Modulus modulus, Span<ulong> destination)
    {
        var q = modulus.Value;
        var mask = (1UL << modulus.BitCount) - 1;
        var buffer = ArrayPool<ulong>.Shared.Rent(System.Math.Min(destination.Length + 64, 8192));
        try
        {
            var filled = 0;
            while (filled < destination.Length)
            {
                var want = System.Math.Min(buffer.Length, destination.Length - filled + 16);
                var words = buffer.AsSpan(0, want);
                random.Fill(MemoryMarshal.AsBytes(words));
                foreach (var word in words)
                {
                    var candidate = word & mask;
                    if (candidate < q && filled < destination.Length)
                    {
                        destination[filled++] = candidate;
                    }
                }
            }

            buffer.AsSpan().Clear();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes small signed values into the residue blocks of each prime: destination[i*N + j] = values[j] mod q_i.</summary>
    public static void ToResidues(ReadOnlySpan<long> values, ReadOnlySpan<Modulus> moduli, Span<ulong> destination)
    {
        var n = values.Length;
        for (var i = 0; i < moduli.Length; i++)
        {
            var q = moduli[i].Value;
            var block = destination.Slice(i * n, n);
            for (var j = 0; j < n; j++)
            {
                // values here are far below q: add q when negative, without branching
                var v = values[j];
                block[j] = (ulong)v + (q & (ulong)(v >> 63));
            }
        }
    }

    /// <summary>Like <see cref="ToResidues"/> for values of any magnitude below 2^63 (smudging noise).</summary>
    public static void ToResiduesWide(ReadOnlySpan<long> values, ReadOnlySpan<Modulus> moduli, Span<ulong> destination)
    {
        var n = values.Length;
        for (var i = 0; i < moduli.Length; i++)
        {
            var modulus = moduli[i];
            var block = destination.Slice(i * n, n);
            for (var j = 0; j < n; j++)
            {
                block[j] = modulus.FromSigned(values[j]);
            }
        }
    }

    private static ulong[] BuildCdt()
    {
        var sigma = CkksParameters.ErrorStandardDeviation;
        var weights = new double[GaussianBound + 1];
        var total = 0.0;
        for (var x = 0; x <= GaussianBound; x++)
        {
            weights[x] = System.Math.Exp(-(double)x * x / (2 * sigma * sigma));
            total += x == 0 ? weights[x] : 2 * weights[x];
        }

        var thresholds = new ulong[GaussianBound];
        for (var k = 1; k <= GaussianBound; k++)
        {
            var tail = 0.0;
            for (var x = k; x <= GaussianBound; x++)
            {
                tail += 2 * weights[x];
            }

            thresholds[k - 1] = (ulong)System.Math.Floor(tail / total * 9.223372036854775808e18);
        }

        return thresholds;
    }
}
