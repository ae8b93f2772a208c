using HospitalFed.Crypto.Ckks.Internal;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Precomputation for one <see cref="CkksParameters"/>: NTT tables per prime, the special FFT,
/// the RNS basis for decoding. Immutable and thread-safe. Keys, ciphertexts and shares remember
/// the context they were made in, and every operation refuses objects of another context with an
/// <see cref="ArgumentException"/>.
/// </summary>
public sealed class CkksContext
{
    /// <summary>Builds the precomputation for <paramref name="parameters"/>.</summary>
    public CkksContext(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        N = parameters.RingDegree;
        Width = parameters.Width;
        KeyPrimeCount = parameters.CoefficientModuli.Count;
        CiphertextPrimeCount = parameters.CiphertextPrimeCount;
        Moduli = [.. parameters.CoefficientModuli.Select(q => new Modulus(q))];
        Tables = [.. Moduli.Select(q => new NttTables(q, N))];
        CiphertextBasis = new RnsBasis(Moduli[..CiphertextPrimeCount]);
        Fft = new SpecialFft(N);
        CiphertextCompressor = parameters.CompressionBits > 0 ? new CkksCompressor(this, parameters.CompressionBits) : null;
        ShareCompressor = parameters.ShareCompressionBits > 0 ? new CkksCompressor(this, parameters.ShareCompressionBits) : null;
    }

    /// <summary>The parameters this context was built for.</summary>
    public CkksParameters Parameters { get; }

    internal int N { get; }

    internal int Width { get; }

    internal int KeyPrimeCount { get; }

    internal int CiphertextPrimeCount { get; }

    internal Modulus[] Moduli { get; }

    internal NttTables[] Tables { get; }

    internal RnsBasis CiphertextBasis { get; }

    internal SpecialFft Fft { get; }

    /// <summary>Compression of public-key ciphertexts' c0, when the parameters ask for it.</summary>
    internal CkksCompressor? CiphertextCompressor { get; }

    /// <summary>Compression of decryption shares, when the parameters ask for it.</summary>
    internal CkksCompressor? ShareCompressor { get; }

    /// <summary>Throws unless <paramref name="owner"/> is this context.</summary>
    internal void EnsureOwns(CkksContext owner, string parameterName)
    {
        if (!ReferenceEquals(owner, this))
        {
            throw new ArgumentException(
                Parameters.Equals(owner.Parameters)
                    ? "the object belongs to another CkksContext instance with equal parameters; use one context per parameter set"
                    : $"the object was made under other parameters ({owner.Parameters}) than this context's ({Parameters})",
                parameterName);
        }
    }

    /// <summary>Forward NTT of each of the first <paramref name="primeCount"/> residue blocks.</summary>
    internal void ForwardNtt(Span<ulong> residues, int primeCount)
    {
        for (var i = 0; i < primeCount; i++)
        {
            Ntt.Forward(residues.Slice(i * N, N), Tables[i]);
        }
    }

    /// <summary>Inverse NTT of each of the first <paramref name="primeCount"/> residue blocks.</summary>
    internal void InverseNtt(Span<ulong> residues, int primeCount)
    {
        for (var i = 0; i < primeCount; i++)
        {
            Ntt.Inverse(residues.Slice(i * N, N), Tables[i]);
        }
    }
}
