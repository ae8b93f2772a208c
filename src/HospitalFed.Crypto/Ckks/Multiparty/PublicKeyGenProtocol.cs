using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// Collective public-key generation (Mouchet et al., PETS 2021, §4.1, "EncKeyGen"): each party
/// publishes b_i = -a s_i + e_i over the common a; the sum b = -a Σ s_i + Σ e_i with a is a
/// public key for the secret Σ s_i, which no party holds. Messages in, messages out; no I/O.
/// </summary>
public sealed class PublicKeyGenProtocol
{
    private readonly CkksContext _context;
    private readonly IRandomSource _random;

    /// <summary>Creates the protocol for <paramref name="context"/>, drawing noise from <paramref name="random"/> (default cryptographic).</summary>
    public PublicKeyGenProtocol(CkksContext context, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _random = random ?? CryptographicRandomSource.Shared;
    }

    /// <summary>This party's share for <paramref name="crp"/>.</summary>
    /// <exception cref="ArgumentException">An input belongs to another context.</exception>
    public PublicKeyShare GenShare(CkksSecretKey secretKey, CommonRandomPolynomial crp)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(crp);
        _context.EnsureOwns(secretKey.Context, nameof(secretKey));
        _context.EnsureOwns(crp.Context, nameof(crp));
        var share = new PublicKeyShare(_context);
        CkksKeyGenerator.ComputeB(_context, secretKey, crp.Value, _random, share.Data);
        return share;
    }

    /// <summary>The sum of <paramref name="shares"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No shares, or a share of another context.</exception>
    public PublicKeyShare AggregateShares(IEnumerable<PublicKeyShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var sum = new PublicKeyShare(_context);
        var count = 0;
        foreach (var share in shares)
        {
            _context.EnsureOwns(share.Context, nameof(shares));
            for (var j = 0; j < _context.Width; j++)
            {
                PolyArithmetic.AddInPlace(sum.Data.AsSpan(j * _context.KeyPrimeCount * _context.N), share.Data.AsSpan(j * _context.KeyPrimeCount * _context.N), _context.Moduli, _context.N);
            }

            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("at least one public key share is needed", nameof(shares));
        }

        return sum;
    }

    /// <summary>The collective public key (b, a) from the aggregated share and the common polynomial.</summary>
    public CkksPublicKey GenPublicKey(PublicKeyShare aggregated, CommonRandomPolynomial crp)
    {
        ArgumentNullException.ThrowIfNull(aggregated);
        ArgumentNullException.ThrowIfNull(crp);
        _context.EnsureOwns(aggregated.Context, nameof(aggregated));
        _context.EnsureOwns(crp.Context, nameof(crp));
        return new CkksPublicKey(_context, crp.Seed, crp.Value, (ulong[])aggregated.Data.Clone());
    }
}
