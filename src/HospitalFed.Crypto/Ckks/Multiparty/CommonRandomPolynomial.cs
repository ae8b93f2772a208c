using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// The common random polynomial a of the collective public key (Mouchet et al., PETS 2021, §4.1:
/// the "CRS"), expanded from a public 32-byte seed every party knows (e.g. derived from the plan
/// id), so it never travels. Uniform in the NTT domain modulo every prime.
/// </summary>
public sealed class CommonRandomPolynomial
{
    private readonly byte[] _seed;

    /// <summary>Expands the polynomial of <paramref name="seed"/> for <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public CommonRandomPolynomial(CkksContext context, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (seed.Length != PolyExpander.SeedSize)
        {
            throw new ArgumentException($"common random polynomial seeds are {PolyExpander.SeedSize} bytes; got {seed.Length}", nameof(seed));
        }

        Context = context;
        _seed = seed.ToArray();
        Value = CkksKeyGenerator.ExpandA(context, seed);
    }

    /// <summary>The context the polynomial belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>The public seed.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    internal ulong[] Value { get; }
}
