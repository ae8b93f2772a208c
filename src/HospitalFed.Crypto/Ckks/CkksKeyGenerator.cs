using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Single-party key generation: a ternary secret per plaintext polynomial and the public key
/// b_j = -a s_j + e_j over a seeded uniform a (Lyubashevsky, Peikert and Regev 2010, §8.2).
/// The multiparty protocols in <c>Ckks.Multiparty</c> reuse the same steps.
/// </summary>
public sealed class CkksKeyGenerator
{
    private readonly CkksContext _context;
    private readonly IRandomSource _random;

    /// <summary>Creates a generator drawing from <paramref name="random"/> (default: <see cref="CryptographicRandomSource.Shared"/>).</summary>
    public CkksKeyGenerator(CkksContext context, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _random = random ?? CryptographicRandomSource.Shared;
    }

    /// <summary>A fresh ternary secret key.</summary>
    public CkksSecretKey GenerateSecretKey()
    {
        var n = _context.N;
        var primes = _context.KeyPrimeCount;
        var data = new ulong[_context.Width * primes * n];
        var small = new long[n];
        try
        {
            for (var j = 0; j < _context.Width; j++)
            {
                var block = data.AsSpan(j * primes * n, primes * n);
                Sampler.Ternary(_random, small);
                Sampler.ToResidues(small, _context.Moduli, block);
                _context.ForwardNtt(block, primes);
            }
        }
        finally
        {
            Array.Clear(small);
        }

        return new CkksSecretKey(_context, data);
    }

    /// <summary>The public key of <paramref name="secretKey"/> over a fresh random seed.</summary>
    /// <exception cref="ArgumentException">The key belongs to another context.</exception>
    public CkksPublicKey GeneratePublicKey(CkksSecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        _context.EnsureOwns(secretKey.Context, nameof(secretKey));
        Span<byte> seed = stackalloc byte[PolyExpander.SeedSize];
        _random.Fill(seed);
        var a = ExpandA(_context, seed);
        var b = new ulong[_context.Width * _context.KeyPrimeCount * _context.N];
        ComputeB(_context, secretKey, a, _random, b);
        return new CkksPublicKey(_context, seed, a, b);
    }

    /// <summary>a, expanded from a public-key seed modulo every prime.</summary>
    internal static ulong[] ExpandA(CkksContext context, ReadOnlySpan<byte> seed)
    {
        var a = new ulong[context.KeyPrimeCount * context.N];
        PolyExpander.Expand(context, CkksPublicKey.SeedLabel, seed, context.KeyPrimeCount, a);
        return a;
    }

    /// <summary>b_j = -a s_j + e_j modulo every prime, NTT form: a public key, or one party's share of a collective one.</summary>
    internal static void ComputeB(CkksContext context, CkksSecretKey secretKey, ReadOnlySpan<ulong> a, IRandomSource random, Span<ulong> destination)
    {
        var n = context.N;
        var primes = context.KeyPrimeCount;
        var error = new long[n];
        var s = secretKey.Data;
        for (var j = 0; j < context.Width; j++)
        {
            var block = destination.Slice(j * primes * n, primes * n);
            Sampler.Gaussian(random, error);
            Sampler.ToResidues(error, context.Moduli, block);
            context.ForwardNtt(block, primes);
            var sj = s.AsSpan(j * primes * n, primes * n);
            for (var i = 0; i < primes; i++)
            {
                var modulus = context.Moduli[i];
                for (var t = i * n; t < (i + 1) * n; t++)
                {
                    block[t] = modulus.Subtract(block[t], modulus.Multiply(a[t], sj[t]));
                }
            }
        }

        Array.Clear(error);
    }
}
