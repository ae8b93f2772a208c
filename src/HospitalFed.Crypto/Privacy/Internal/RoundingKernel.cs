using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Unbiased randomised rounding of s = multiplier * v, exact for the double s: the result is
/// floor(s) + 1 with probability exactly s - floor(s), else floor(s).
/// </summary>
/// <remarks>
/// <para>How: round |s| and restore the sign (randomised rounding is symmetric, and for a = |s|
/// the fractional part f = a - floor(a) is computed exactly, which s - floor(s) is not for small
/// negative s). Round up iff U &lt; f for a uniform U in [0, 1) read lazily: its first 32 bits are
/// the 16-bit coin u, compared with F = floor(2^16 f); u &lt; F means up, u &gt; F down, and only on a
/// tie (probability 2^-16 per coordinate, about 16 in a million) are further 32-bit words drawn
/// from the caller's source and compared with the remaining bits of f (<see cref="Refine"/>). So
/// the precision is that of s itself, not of the coin: no 2^-16, 2^-32 or 2^-53 bias, and two
/// bytes of AES keystream per coordinate.</para>
/// <para>The vector paths compute the same expressions in the same order, and redo a step with a
/// tie on the scalar path, so every width gives bit-identical outputs from the same coins and draws.
/// Each call also returns sum q^2 over its outputs, exactly, in 64-bit integers.</para>
/// </remarks>
internal static partial class RoundingKernel
{
    private const double TwoTo16 = 65536.0;
    private const double TwoTo32 = 4294967296.0;

    /// <summary>
    /// Rounds <paramref name="rowCount"/> rows of <paramref name="rowLength"/> values (contiguous in
    /// <paramref name="values"/>) times <paramref name="multiplier"/>, using coins in the same order;
    /// row r, column c goes to <paramref name="destination"/>[start + r stride + c]. Returns sum q^2.
    /// </summary>
    public static long Round(
        ReadOnlySpan<double> values, int rowLength, int rowCount, double multiplier, ReadOnlySpan<ushort> coins,
        Span<int> destination, int start, int stride, IRandomSource random, SimdWidth width)
    {
        var last = start + ((rowCount - 1) * stride) + rowLength;
        if (values.Length < rowLength * rowCount || coins.Length < rowLength * rowCount || destination.Length < last)
        {
            throw new ArgumentException($"{rowCount} rows of {rowLength} at {start} + r {stride} do not fit the spans given");
        }

        long squares = 0;
        var done = width switch
        {
            SimdWidth.Vector512 => RoundRows<Lanes512>(values, rowLength, rowCount, multiplier, coins, destination, start, stride, random, ref squares),
            SimdWidth.Vector256 => RoundRows<Lanes256>(values, rowLength, rowCount, multiplier, coins, destination, start, stride, random, ref squares),
            _ => 0,
        };
        for (var r = 0; r < rowCount && done < rowLength; r++)
        {
            var offset = start + (r * stride);
            for (var c = done; c < rowLength; c++)
            {
                var q = RoundOne(values[(r * rowLength) + c] * multiplier, coins[(r * rowLength) + c], random);
                squares += (long)q * q;
                destination[offset + c] = q;
            }
        }

        return squares;
    }

    /// <summary>The vector part of every row (its first rowLength rounded down to whole steps); returns that length.</summary>
    private static int RoundRows<TLanes>(
        ReadOnlySpan<double> values, int rowLength, int rowCount, double multiplier, ReadOnlySpan<ushort> coins,
        Span<int> destination, int start, int stride, IRandomSource random, ref long squares)
        where TLanes : struct, IRoundingLanes
    {
        var vectorLength = rowLength - (rowLength % TLanes.Count);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var coin = ref MemoryMarshal.GetReference(coins);
        ref var d = ref MemoryMarshal.GetReference(destination);
        Span<long> lanes = stackalloc long[8];
        lanes.Clear();
        ref var accumulator = ref MemoryMarshal.GetReference(lanes);
        for (var r = 0; r < rowCount; r++)
        {
            var source = r * rowLength;
            var target = start + (r * stride);
            for (var c = 0; c < vectorLength; c += TLanes.Count)
            {
                TLanes.Step(ref Unsafe.Add(ref v, source + c), ref Unsafe.Add(ref coin, source + c), ref Unsafe.Add(ref d, target + c), multiplier, random, ref accumulator);
            }
        }

        foreach (var lane in lanes)
        {
            squares += lane;
        }

        return vectorLength;
    }

    private static int RoundOne(double s, ushort coin, IRandomSource random)
    {
        var a = Math.Abs(s);
        var floor = Math.Floor(a);
        var scaledFraction = (a - floor) * TwoTo16;
        var threshold = Math.Floor(scaledFraction);
        var up = coin < threshold || (coin == threshold && Refine(scaledFraction - threshold, random));
        return (int)Math.CopySign(up ? floor + 1 : floor, s);
    }

    /// <summary>
    /// After a tie on the first 32 bits: whether the rest of U (fresh words from <paramref name="random"/>)
    /// is below <paramref name="residual"/> in [0, 1). Each step compares 32 more bits, exactly; the
    /// residual, a double, runs out of bits after at most 35 steps, and a zero residual means down.
    /// </summary>
    private static bool Refine(double residual, IRandomSource random)
    {
        Span<byte> word = stackalloc byte[sizeof(uint)];
        while (residual > 0)
        {
            var scaled = residual * TwoTo32;
            var threshold = Math.Floor(scaled);
            random.Fill(word);
            var coin = MemoryMarshal.Read<uint>(word);
            if (coin != threshold)
            {
                return coin < threshold;
            }

            residual = scaled - threshold;
        }

        return false;
    }
}
