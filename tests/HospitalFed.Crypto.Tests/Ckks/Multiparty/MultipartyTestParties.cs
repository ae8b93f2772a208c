using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

/// <summary>n parties that ran collective key generation and, optionally, the threshold set-up, in one process.</summary>
internal sealed class MultipartyTestParties : IDisposable
{
    public MultipartyTestParties(CkksContext context, int parties, int threshold, string label)
    {
        Context = context;
        Random = SeededRandomSource.FromLabel(label);
        var generator = new CkksKeyGenerator(context, Random);
        SecretKeys = [.. Enumerable.Range(0, parties).Select(_ => generator.GenerateSecretKey())];
        Crp = new CommonRandomPolynomial(context, System.Security.Cryptography.SHA256.HashData("plan-crp"u8));
        var keyGen = new PublicKeyGenProtocol(context, Random);
        // each share travels serialised, as it would on the wire
        var shares = SecretKeys.Select(sk => PublicKeyShare.Parse(context, keyGen.GenShare(sk, Crp).ToBytes()));
        PublicKey = keyGen.GenPublicKey(keyGen.AggregateShares(shares), Crp);
        Points = [.. Enumerable.Range(1, parties)];
        Threshold = new ThresholdProtocol(context, Random);
        var dealt = SecretKeys.Select(sk => Threshold.GenShares(sk, threshold, Points)).ToArray();
        ThresholdKeys = [.. Points.Select((point, j) => Threshold.AggregateShares(point, threshold, parties, dealt.Select(d => d[j])))];
        foreach (var share in dealt.SelectMany(d => d))
        {
            share.Dispose();
        }
    }

    public CkksContext Context { get; }

    public SeededRandomSource Random { get; }

    public CkksSecretKey[] SecretKeys { get; }

    public CommonRandomPolynomial Crp { get; }

    public CkksPublicKey PublicKey { get; }

    public int[] Points { get; }

    public ThresholdProtocol Threshold { get; }

    public ThresholdSecretKey[] ThresholdKeys { get; }

    /// <summary>Σ s_i as one key: what no real party has, for comparison only.</summary>
    public CkksSecretKey CollectiveKeyForTesting()
    {
        var data = new ulong[SecretKeys[0].Data.Length];
        var n = Context.N;
        var primes = Context.KeyPrimeCount;
        foreach (var key in SecretKeys)
        {
            for (var b = 0; b < data.Length / n; b++)
            {
                var modulus = Context.Moduli[b % primes];
                for (var j = b * n; j < (b + 1) * n; j++)
                {
                    data[j] = modulus.Add(data[j], key.Data[j]);
                }
            }
        }

        return new CkksSecretKey(Context, data);
    }

    public void Dispose()
    {
        foreach (var key in SecretKeys)
        {
            key.Dispose();
        }

        foreach (var key in ThresholdKeys)
        {
            key.Dispose();
        }

        Random.Dispose();
    }
}
