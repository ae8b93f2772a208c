using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// t-of-n threshold keys by Shamir sharing over Z_{q_i} for every RNS prime, coefficient by
/// coefficient (Mouchet et al., PETS 2021, §5; lattigo's Thresholdizer and Combiner): party i
/// picks f_i with f_i(0) = s_i and t-1 uniform ring coefficients and sends f_i(x_j) to party j;
/// party j sums what it receives into F(x_j). At decryption time any set T of at least t parties
/// each use λ_j F(x_j), λ_j the Lagrange coefficient of x_j at 0 over T, as an additive share of
/// Σ s_i in <see cref="CollectiveDecryptionProtocol"/>. Points are the integers 1..n.
/// </summary>
public sealed class ThresholdProtocol
{
    private readonly CkksContext _context;
    private readonly IRandomSource _random;

    /// <summary>Creates the protocol; the Shamir coefficients come from <paramref name="random"/> (default cryptographic).</summary>
    public ThresholdProtocol(CkksContext context, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _random = random ?? CryptographicRandomSource.Shared;
    }

    /// <summary>Shares <paramref name="secretKey"/> for the parties at <paramref name="points"/> (including this party's own).</summary>
    /// <exception cref="ArgumentException">The threshold is not in [1, points], or the points are not distinct integers in [1, 65535].</exception>
    public ThresholdKeyShare[] GenShares(CkksSecretKey secretKey, int threshold, IReadOnlyList<int> points)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(points);
        _context.EnsureOwns(secretKey.Context, nameof(secretKey));
        ValidatePoints(points, nameof(points));
        if (threshold < 1 || threshold > points.Count)
        {
            throw new ArgumentException($"the threshold must lie in [1, {points.Count}]; got {threshold}", nameof(threshold));
        }

        var length = secretKey.Data.Length;
        var blocks = _context.Width * _context.KeyPrimeCount;
        var n = _context.N;
        var coefficients = new ulong[threshold - 1][];
        for (var k = 0; k < coefficients.Length; k++)
        {
            coefficients[k] = new ulong[length];
            for (var b = 0; b < blocks; b++)
            {
                Sampler.UniformModulo(_random, _context.Moduli[b % _context.KeyPrimeCount], coefficients[k].AsSpan(b * n, n));
            }
        }

        var shares = new ThresholdKeyShare[points.Count];
        for (var p = 0; p < points.Count; p++)
        {
            var share = new ThresholdKeyShare(_context, points[p]);
            var target = share.Data;
            for (var b = 0; b < blocks; b++)
            {
                var modulus = _context.Moduli[b % _context.KeyPrimeCount];
                var x = (ulong)points[p];
                // Horner: f(x) = s + x (c_1 + x (c_2 + ...))
                for (var j = b * n; j < (b + 1) * n; j++)
                {
                    var acc = 0UL;
                    for (var k = coefficients.Length - 1; k >= 0; k--)
                    {
                        acc = modulus.Multiply(modulus.Add(acc, coefficients[k][j]), x);
                    }

                    target[j] = modulus.Add(acc, secretKey.Data[j]);
                }
            }

            shares[p] = share;
        }

        foreach (var c in coefficients)
        {
            Array.Clear(c);
        }

        return shares;
    }

    /// <summary>
    /// Sums the shares every one of the <paramref name="keyHolders"/> parties sent to the party at
    /// <paramref name="point"/> into its threshold key; F(0) is the collective key only if none is missing.
    /// </summary>
    /// <exception cref="ArgumentException">A share is missing, addressed to another point, or of another context.</exception>
    public ThresholdSecretKey AggregateShares(int point, int threshold, int keyHolders, IEnumerable<ThresholdKeyShare> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var data = new ulong[_context.Width * _context.KeyPrimeCount * _context.N];
        var count = 0;
        foreach (var share in received)
        {
            _context.EnsureOwns(share.Context, nameof(received));
            if (share.RecipientPoint != point)
            {
                throw new ArgumentException($"a share for point {share.RecipientPoint} was given to the party at point {point}", nameof(received));
            }

            for (var j = 0; j < _context.Width; j++)
            {
                var offset = j * _context.KeyPrimeCount * _context.N;
                PolyArithmetic.AddInPlace(data.AsSpan(offset), share.Data.AsSpan(offset), _context.Moduli, _context.N);
            }

            count++;
        }

        if (count != keyHolders || threshold < 1 || threshold > keyHolders)
        {
            throw new ArgumentException($"a threshold key needs exactly one share from each of the {keyHolders} key holders (and 1 <= t <= n); got {count} shares, t = {threshold}", nameof(received));
        }

        return new ThresholdSecretKey(_context, point, threshold, data);
    }

    /// <summary>
    /// λ_j F(x_j) for the active set <paramref name="activePoints"/>: this party's additive share of
    /// the collective key for one decryption. Dispose the result after use.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than t active parties, duplicates, or this party not among them.</exception>
    public CkksSecretKey CombineShare(ThresholdSecretKey key, IReadOnlyList<int> activePoints)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(activePoints);
        _context.EnsureOwns(key.Context, nameof(key));
        ValidatePoints(activePoints, nameof(activePoints));
        if (activePoints.Count < key.Threshold)
        {
            throw new ArgumentException($"decryption needs at least t = {key.Threshold} parties; {activePoints.Count} are active", nameof(activePoints));
        }

        if (!activePoints.Contains(key.Point))
        {
            throw new ArgumentException($"this party (point {key.Point}) is not in the active set", nameof(activePoints));
        }

        var data = new ulong[key.Data.Length];
        var n = _context.N;
        for (var i = 0; i < _context.KeyPrimeCount; i++)
        {
            var modulus = _context.Moduli[i];
            // λ_j = Π_{m ≠ j} x_m / (x_m - x_j) mod q_i
            ulong numerator = 1;
            ulong denominator = 1;
            foreach (var other in activePoints)
            {
                if (other == key.Point)
                {
                    continue;
                }

                numerator = modulus.Multiply(numerator, (ulong)other);
                denominator = modulus.Multiply(denominator, modulus.FromSigned(other - key.Point));
            }

            var lambda = modulus.Multiply(numerator, modulus.Inverse(denominator));
            var lambdaShoup = modulus.ShoupFactor(lambda);
            for (var j = 0; j < _context.Width; j++)
            {
                var offset = ((j * _context.KeyPrimeCount) + i) * n;
                for (var t = offset; t < offset + n; t++)
                {
                    data[t] = Arithmetic.Modulus.MultiplyShoup(key.Data[t], lambda, lambdaShoup, modulus.Value);
                }
            }
        }

        return new CkksSecretKey(_context, data);
    }

    private static void ValidatePoints(IReadOnlyList<int> points, string name)
    {
        if (points.Count == 0 || points.Any(p => p is < 1 or > 65535) || points.Distinct().Count() != points.Count)
        {
            throw new ArgumentException("party points must be distinct integers in [1, 65535]", name);
        }
    }
}
