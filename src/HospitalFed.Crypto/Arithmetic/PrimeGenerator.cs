namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// NTT-friendly primes: q ≡ 1 (mod 2N), so Z_q holds a primitive 2N-th root of unity and
/// X^N + 1 splits into linear factors (the negacyclic NTT exists). Chosen like SEAL's
/// CoeffModulus::Create: the largest such primes below 2^bits, so parameters are reproducible.
/// </summary>
internal static class PrimeGenerator
{
    // Deterministic Miller-Rabin bases for every n < 2^64 (Jaeschke; Sorenson and Webster 2015).
    private static readonly ulong[] WitnessBases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

    /// <summary>Whether <paramref name="n"/> is prime (deterministic for all 64-bit inputs).</summary>
    public static bool IsPrime(ulong n)
    {
        if (n < 2)
        {
            return false;
        }

        foreach (var p in WitnessBases)
        {
            if (n % p == 0)
            {
                return n == p;
            }
        }

        var d = n - 1;
        var s = 0;
        while ((d & 1) == 0)
        {
            d >>= 1;
            s++;
        }

        foreach (var a in WitnessBases)
        {
            var x = PowMod(a, d, n);
            if (x == 1 || x == n - 1)
            {
                continue;
            }

            var composite = true;
            for (var r = 1; r < s && composite; r++)
            {
                x = (ulong)((UInt128)x * x % n);
                composite = x != n - 1;
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The largest <paramref name="count"/> primes of exactly <paramref name="bits"/> bits with q ≡ 1 (mod 2N), excluding <paramref name="exclude"/>.</summary>
    /// <exception cref="ArgumentException">Not enough such primes exist.</exception>
    public static ulong[] NttPrimes(int bits, int count, int ringDegree, IReadOnlyCollection<ulong>? exclude = null)
    {
        if (bits < 2 || bits > Modulus.MaxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"prime sizes must be 2..{Modulus.MaxBits} bits; got {bits}");
        }

        var step = 2UL * (ulong)ringDegree;
        var upper = (1UL << bits) - 1;
        var lower = 1UL << (bits - 1);
        var candidate = (upper - 1) / step * step + 1;
        var found = new List<ulong>(count);
        while (found.Count < count && candidate > lower)
        {
            if (IsPrime(candidate) && (exclude is null || !exclude.Contains(candidate)))
            {
                found.Add(candidate);
            }

            candidate -= step;
        }

        if (found.Count < count)
        {
            throw new ArgumentException($"there are fewer than {count} {bits}-bit primes congruent to 1 mod {step}");
        }

        return [.. found];
    }

    /// <summary>A primitive 2N-th root of unity modulo the prime q ≡ 1 (mod 2N): the smallest one, for reproducibility.</summary>
    public static ulong MinimalPrimitiveRoot(Modulus q, int ringDegree)
    {
        var order = 2UL * (ulong)ringDegree;
        if ((q.Value - 1) % order != 0)
        {
            throw new ArgumentException($"modulus {q.Value} is not congruent to 1 mod {order}");
        }

        var cofactor = (q.Value - 1) / order;
        for (ulong x = 2; x < q.Value; x++)
        {
            var root = q.Pow(x, cofactor);
            // root has order dividing 2N; it is primitive exactly when root^N = -1.
            if (q.Pow(root, (ulong)ringDegree) != q.Value - 1)
            {
                continue;
            }

            // Among the primitive roots root^(odd k), take the smallest value.
            var square = q.Multiply(root, root);
            var best = root;
            var current = root;
            for (var k = 1; k < ringDegree; k++)
            {
                current = q.Multiply(current, square);
                best = System.Math.Min(best, current);
            }

            return best;
        }

        throw new ArgumentException($"no primitive {order}-th root of unity modulo {q.Value}");
    }

    private static ulong PowMod(ulong b, ulong e, ulong n)
    {
        ulong result = 1;
        b %= n;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                result = (ulong)((UInt128)result * b % n);
            }

            b = (ulong)((UInt128)b * b % n);
            e >>= 1;
        }

        return result;
    }
}
