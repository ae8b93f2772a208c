using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Kyber-style coefficient compression modulo the ciphertext modulus Q = q_0 ... q_{L-1}
/// (Bos et al., "CRYSTALS-Kyber", EuroS&amp;P 2018, §2, Compress_q and Decompress_q):
/// <c>Compress(x) = round(2^w x / Q) mod 2^w</c>, <c>Decompress(y) = round(Q y / 2^w)</c>, with
/// |Decompress(Compress(x)) - x| &lt;= Q / 2^(w+1) and Compress(Decompress(y)) = y (2^(w+1) &lt; Q).
/// Works on coefficient-form residues, exactly, without composing x: with
/// v_i = [x_i (Q/q_i)^-1]_{q_i}, x/Q = Σ v_i / q_i - K for an integer K (CRT), so
/// 2^w x / Q ≡ Σ (a_i + r_i / q_i) (mod 2^w) where 2^w v_i = a_i q_i + r_i; the rounding of
/// Σ r_i / q_i = T / Q with T = Σ r_i (Q/q_i) is read off by comparing 2T with odd multiples of Q.
/// Inputs are public (ciphertexts and already-smudged shares), but every step is branch-free anyway.
/// Immutable and thread-safe.
/// </summary>
internal sealed partial class CkksCompressor
{
    private readonly Modulus[] _moduli;
    private readonly int _n;
    private readonly ulong _mask;
    // Compress: (Q/q_i)^-1 mod q_i, floor(2^w / q_i), 2^w mod q_i (with Shoup factors), Q/q_i
    private readonly ulong[] _hatInverse;
    private readonly ulong[] _hatInverseShoup;
    private readonly ulong[] _twoWQuotient;
    private readonly ulong[] _twoWRemainder;
    private readonly ulong[] _twoWRemainderShoup;
    private readonly UInt128[] _hat;
    // (2m - 1) Q for m = 1..L: round(T / Q) = #{m : 2T >= (2m - 1) Q} for T < L Q
    private readonly UInt128[] _oddMultiples;
    // Decompress: Q = high 2^w + low; high mod q_i (with Shoup factor)
    private readonly ulong _low;
    private readonly ulong[] _highModQ;
    private readonly ulong[] _highModQShoup;
    private readonly bool[] _reduceRemainder;
    // Q/q_i below 2^64 (true for two primes): each term of T is one 64x64 product
    private readonly bool _hatsFit64;
    // the AVX-512 path's conditions (CkksCompressor.Vector512.cs)
    private readonly bool _vectorizable;

    public CkksCompressor(CkksContext context, int bits)
    {
        if (bits is < 1 or > CkksParameters.MaxCompressionBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"compression bits must lie in [1, {CkksParameters.MaxCompressionBits}]; got {bits}");
        }

        Bits = bits;
        _n = context.N;
        _moduli = context.Moduli[..context.CiphertextPrimeCount];
        _mask = (1UL << bits) - 1;
        var count = _moduli.Length;
        UInt128 q = 1;
        foreach (var modulus in _moduli)
        {
            q *= modulus.Value;
        }

        _hatInverse = new ulong[count];
        _hatInverseShoup = new ulong[count];
        _twoWQuotient = new ulong[count];
        _twoWRemainder = new ulong[count];
        _twoWRemainderShoup = new ulong[count];
        _hat = new UInt128[count];
        _oddMultiples = new UInt128[count];
        _highModQ = new ulong[count];
        _highModQShoup = new ulong[count];
        _reduceRemainder = new bool[count];
        var high = q >> bits;
        _low = (ulong)(q & _mask);
        for (var i = 0; i < count; i++)
        {
            var modulus = _moduli[i];
            var qi = modulus.Value;
            _hat[i] = q / qi;
            _hatInverse[i] = modulus.Inverse((ulong)(_hat[i] % qi));
            _hatInverseShoup[i] = modulus.ShoupFactor(_hatInverse[i]);
            _twoWQuotient[i] = (ulong)((UInt128.One << bits) / qi);
            _twoWRemainder[i] = (ulong)((UInt128.One << bits) % qi);
            _twoWRemainderShoup[i] = modulus.ShoupFactor(_twoWRemainder[i]);
            _oddMultiples[i] = (UInt128)((2 * i) + 1) * q;
            _highModQ[i] = (ulong)(high % qi);
            _highModQShoup[i] = modulus.ShoupFactor(_highModQ[i]);
            _reduceRemainder[i] = (UInt128.One << bits) > qi; // the low part may reach q_i
        }

        _hatsFit64 = Array.TrueForAll(_hat, h => h <= ulong.MaxValue);
        _vectorizable = _hatsFit64 && !Array.Exists(_reduceRemainder, r => r) && _n % Vector512<ulong>.Count == 0;
    }

    /// <summary>w.</summary>
    public int Bits { get; }

    /// <summary>Compresses one polynomial: L × N coefficient-form residues to N values below 2^w.</summary>
    public void Compress(ReadOnlySpan<ulong> residues, Span<ulong> destination) => Compress(residues, destination, SimdSupport.Best);

    /// <summary><see cref="Compress(ReadOnlySpan{ulong}, Span{ulong})"/> on the path <paramref name="width"/> if it can run here (tests compare the paths).</summary>
    internal void Compress(ReadOnlySpan<ulong> residues, Span<ulong> destination, SimdWidth width)
    {
        CheckLengths(residues.Length, destination.Length);
        if (width == SimdWidth.Vector512 && _vectorizable && SimdSupport.IsSupported(width))
        {
            CompressVector512(residues, destination);
            return;
        }

        var n = _n;
        var count = _moduli.Length;
        for (var j = 0; j < n; j++)
        {
            ulong integer = 0;
            UInt128 fraction = 0;
            for (var i = 0; i < count; i++)
            {
                var q = _moduli[i].Value;
                var v = Modulus.MultiplyShoup(residues[(i * n) + j], _hatInverse[i], _hatInverseShoup[i], q);
                // v · (2^w mod q_i) = quotient q_i + remainder, by Shoup (Harvey 2014, Alg. 2) with one correction
                var quotient = System.Math.BigMul(v, _twoWRemainderShoup[i], out _);
                var remainder = (v * _twoWRemainder[i]) - (quotient * q);
                var reduced = remainder - q;
                var below = (ulong)((long)reduced >> 63); // all ones when remainder < q
                remainder = reduced + (q & below);
                quotient += 1 + below;
                integer += (v * _twoWQuotient[i]) + quotient;
                fraction += _hatsFit64 ? System.Math.BigMul(remainder, (ulong)_hat[i]) : remainder * _hat[i];
            }

            destination[j] = (integer + RoundQuotient(fraction)) & _mask;
        }
    }

    /// <summary>Decompresses N values below 2^w into one polynomial's L × N coefficient-form residues.</summary>
    public void Decompress(ReadOnlySpan<ulong> compressed, Span<ulong> residues) => Decompress(compressed, residues, false, SimdSupport.Best);

    /// <summary>Adds the decompression of N values below 2^w to one polynomial's L × N coefficient-form residues.</summary>
    public void DecompressAdd(ReadOnlySpan<ulong> compressed, Span<ulong> residues) => Decompress(compressed, residues, true, SimdSupport.Best);

    /// <summary>Decompression on the path <paramref name="width"/> if it can run here (tests compare the paths).</summary>
    internal void Decompress(ReadOnlySpan<ulong> compressed, Span<ulong> residues, bool accumulate, SimdWidth width)
    {
        CheckLengths(residues.Length, compressed.Length);
        if (width == SimdWidth.Vector512 && _vectorizable && SimdSupport.IsSupported(width))
        {
            DecompressVector512(compressed, residues, accumulate);
            return;
        }

        var n = _n;
        var bits = Bits;
        var half = 1UL << (bits - 1);
        for (var j = 0; j < n; j++)
        {
            var y = compressed[j] & _mask;
            // round(Q y / 2^w) = high · y + floor((low · y + 2^(w-1)) / 2^w); low · y < 2^122
            var hi = System.Math.BigMul(_low, y, out var lo);
            var sum = lo + half;
            hi += ((lo & half) | ((lo | half) & ~sum)) >> 63; // carry out of the low word
            var tail = (hi << (64 - bits)) | (sum >> bits);
            for (var i = 0; i < _moduli.Length; i++)
            {
                var modulus = _moduli[i];
                var q = modulus.Value;
                var t = _reduceRemainder[i] ? modulus.Reduce(tail) : tail;
                var value = Modulus.MultiplyShoupLazy(y, _highModQ[i], _highModQShoup[i], q) + t; // < 3q
                value = Modulus.SubtractIfAtLeast(Modulus.SubtractIfAtLeast(value, q), q);
                var index = (i * n) + j;
                residues[index] = accumulate ? Modulus.SubtractIfAtLeast(residues[index] + value, q) : value;
            }
        }
    }

    private void CheckLengths(int residues, int values)
    {
        if (residues < _moduli.Length * _n || values < _n)
        {
            throw new ArgumentException($"a polynomial is {_moduli.Length} x {_n} residues, compressed to {_n} values; got {residues} and {values}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong RoundQuotient(UInt128 fraction)
    {
        // 2T < 2 L Q <= 2^127 and (2m - 1) Q < 2^127, so the difference's top bit is the borrow.
        var twice = fraction << 1;
        ulong rounded = 0;
        foreach (var multiple in _oddMultiples)
        {
            rounded += 1 - (ulong)((twice - multiple) >> 127);
        }

        return rounded;
    }
}
