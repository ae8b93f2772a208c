using System.Numerics;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// Shamir t-of-n secret sharing (Shamir, CACM 1979) of byte secrets of up to 32 bytes: the
/// self-mask seeds b_i and the P-256 mask private scalars s_i^SK of pairwise masking.
/// </summary>
/// <remarks>
/// The field is GF(p) with p = 2^256 + 297, the smallest prime above 2^256 (checked by the
/// tests with Miller-Rabin). Every 32-byte secret, read big-endian, is below 2^256 &lt; p, so
/// the embedding is injective without any reduction, and a share is one 33-byte element.
/// Coefficients are drawn uniformly from GF(p) by rejection sampling, so t - 1 shares reveal
/// nothing about the secret (perfect secrecy, Shamir 1979 section 2).
/// The arithmetic uses <see cref="BigInteger"/>, which is not constant-time; the operations run
/// a few hundred times per round on values the local party already holds, and the timing
/// leaks at most to a co-located process. BigInteger intermediates cannot be zeroed; the byte
/// buffers this class returns or fills can and should be.
/// </remarks>
public static class Shamir
{
    /// <summary>The size in bytes of one share value: a big-endian element of GF(p).</summary>
    public const int ShareSize = 33;

    /// <summary>The largest secret this field holds, in bytes.</summary>
    public const int MaxSecretSize = 32;

    /// <summary>The field prime p = 2^256 + 297.</summary>
    public static BigInteger Prime { get; } = (BigInteger.One << 256) + 297;

    /// <summary>
    /// Splits <paramref name="secret"/> into one share per x-coordinate in <paramref name="holders"/>,
    /// any <paramref name="threshold"/> of which reconstruct it.
    /// </summary>
    /// <param name="secret">The secret, at most 32 bytes, read as a big-endian integer.</param>
    /// <param name="threshold">The number of shares needed to reconstruct (the polynomial degree plus one).</param>
    /// <param name="holders">The distinct, positive x-coordinates of the share holders.</param>
    /// <param name="random">The randomness source for the polynomial coefficients.</param>
    /// <returns>One 33-byte share per holder, in the order of <paramref name="holders"/>.</returns>
    /// <exception cref="ArgumentException">The secret is too long, the threshold is out of range or the holders are not distinct and positive.</exception>
    public static byte[][] Split(ReadOnlySpan<byte> secret, int threshold, IReadOnlyList<int> holders, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(random);
        if (secret.Length > MaxSecretSize)
        {
            throw new ArgumentException($"a Shamir secret holds at most {MaxSecretSize} bytes; got {secret.Length}", nameof(secret));
        }

        if (threshold < 1 || threshold > holders.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"the threshold must lie in [1, {holders.Count}] (the number of holders)");
        }

        ValidateCoordinates(holders, nameof(holders));
        var coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
        for (var k = 1; k < threshold; k++)
        {
            coefficients[k] = RandomElement(random);
        }

        var shares = new byte[holders.Count][];
        for (var h = 0; h < holders.Count; h++)
        {
            // Horner's rule: f(x) = a_0 + x (a_1 + x (a_2 + ...)).
            BigInteger x = holders[h];
            var y = BigInteger.Zero;
            for (var k = threshold - 1; k >= 0; k--)
            {
                y = ((y * x) + coefficients[k]) % Prime;
            }

            shares[h] = ToElement(y);
        }

        return shares;
    }

    /// <summary>
    /// Reconstructs a secret of <paramref name="secretSize"/> bytes from the first
    /// <paramref name="threshold"/> of <paramref name="shares"/> by Lagrange interpolation at 0.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than <paramref name="threshold"/> shares, repeated or non-positive x-coordinates, a malformed share value, or shares that interpolate to a value that is not a secret of that size.</exception>
    public static byte[] Combine(IReadOnlyList<ShamirShare> shares, int threshold, int secretSize = MaxSecretSize)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (secretSize is < 1 or > MaxSecretSize)
        {
            throw new ArgumentOutOfRangeException(nameof(secretSize), secretSize, $"secrets hold 1 to {MaxSecretSize} bytes");
        }

        if (threshold < 1 || shares.Count < threshold)
        {
            throw new ArgumentException($"reconstruction needs {threshold} shares; got {shares.Count}", nameof(shares));
        }

        var xs = new int[threshold];
        var ys = new BigInteger[threshold];
        for (var i = 0; i < threshold; i++)
        {
            xs[i] = shares[i].X;
            ys[i] = ParseElement(shares[i].Value.Span, nameof(shares));
        }

        ValidateCoordinates(xs, nameof(shares));

        // f(0) = sum_j y_j * prod_{m != j} x_m / (x_m - x_j)   (Lagrange basis at 0). The t
        // denominators are inverted together with one exponentiation (Montgomery's batch
        // inversion: invert the product, then peel off one factor at a time).
        var numerators = new BigInteger[threshold];
        var denominators = new BigInteger[threshold];
        var prefix = new BigInteger[threshold + 1];
        prefix[0] = BigInteger.One;
        for (var j = 0; j < threshold; j++)
        {
            numerators[j] = BigInteger.One;
            denominators[j] = BigInteger.One;
            for (var m = 0; m < threshold; m++)
            {
                if (m != j)
                {
                    numerators[j] = numerators[j] * xs[m] % Prime;
                    denominators[j] = denominators[j] * Mod(xs[m] - xs[j]) % Prime;
                }
            }

            prefix[j + 1] = prefix[j] * denominators[j] % Prime;
        }

        var inverse = BigInteger.ModPow(prefix[threshold], Prime - 2, Prime); // Fermat: a^(p-2) = a^-1 mod p
        var secret = BigInteger.Zero;
        for (var j = threshold - 1; j >= 0; j--)
        {
            var inverseOfJ = inverse * prefix[j] % Prime; // 1 / denominators[j]
            inverse = inverse * denominators[j] % Prime;  // 1 / prefix[j]
            secret = (secret + (ys[j] * numerators[j] % Prime * inverseOfJ)) % Prime;
        }

        if (secret.GetByteCount(isUnsigned: true) > secretSize)
        {
            throw new ArgumentException("the shares are inconsistent: they interpolate to a value wider than the secret", nameof(shares));
        }

        var result = new byte[secretSize];
        secret.TryWriteBytes(result.AsSpan(secretSize - secret.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return result;
    }

    private static BigInteger RandomElement(RandomNumberGenerator random)
    {
        Span<byte> buffer = stackalloc byte[ShareSize];
        while (true)
        {
            random.GetBytes(buffer);
            buffer[0] &= 0x01; // p < 2^257: sample 257 bits and reject values >= p (about half the draws)
            var candidate = new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
            if (candidate < Prime)
            {
                CryptographicOperations.ZeroMemory(buffer);
                return candidate;
            }
        }
    }

    private static BigInteger ParseElement(ReadOnlySpan<byte> value, string parameter)
    {
        if (value.Length != ShareSize)
        {
            throw new ArgumentException($"a share value is {ShareSize} bytes; got {value.Length}", parameter);
        }

        var element = new BigInteger(value, isUnsigned: true, isBigEndian: true);
        if (element >= Prime)
        {
            throw new ArgumentException("a share value is not an element of the field (>= p)", parameter);
        }

        return element;
    }

    private static byte[] ToElement(BigInteger value)
    {
        var bytes = new byte[ShareSize];
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(bytes.AsSpan(ShareSize - count), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % Prime;
        return r.Sign < 0 ? r + Prime : r;
    }

    private static void ValidateCoordinates(IReadOnlyList<int> xs, string parameter)
    {
        var seen = new HashSet<int>();
        foreach (var x in xs)
        {
            if (x <= 0)
            {
                throw new ArgumentException($"share x-coordinates are positive; got {x}", parameter);
            }

            if (!seen.Add(x))
            {
                throw new ArgumentException($"share x-coordinate {x} appears twice", parameter);
            }
        }
    }
}
