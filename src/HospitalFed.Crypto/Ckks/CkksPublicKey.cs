namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// A public key (b_1..b_k, a) with b_j = -a s_j + e_j modulo every prime, NTT form; a is
/// expanded from <see cref="Seed"/>, which is all that travels. For a collective key, a is the
/// common random polynomial and b the sum of every party's share.
/// </summary>
public sealed class CkksPublicKey
{
    internal const string SeedLabel = "hfed/ckks/public-key-a";
    private readonly byte[] _seed;

    internal CkksPublicKey(CkksContext context, ReadOnlySpan<byte> seed, ulong[] a, ulong[] b)
    {
        Context = context;
        _seed = seed.ToArray();
        A = a;
        B = b;
    }

    /// <summary>The context the key belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>The public seed a is expanded from.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>KeyPrimeCount × N residues.</summary>
    internal ulong[] A { get; }

    /// <summary>Width × KeyPrimeCount × N residues.</summary>
    internal ulong[] B { get; }
}
