using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// Collective decryption per ciphertext: one party's share generation (s_i c1 + smudging), and the
/// aggregator's combination of ten shares plus decoding. The MsPerMillion column scales to 10^6 values.
/// </summary>
[Config(typeof(CkksBenchmarkConfig))]
public class CkksMultipartyBenchmarks
{
    private const int Parties = 10;
    private CkksContext _context = null!;
    private CollectiveDecryptionProtocol _protocol = null!;
    private CkksSecretKey[] _keys = null!;
    private CkksCiphertext _aggregate = null!;
    private DecryptionShare[] _shares = null!;
    private double[] _output = null!;

    /// <summary>The parameter set.</summary>
    [ParamsSource(nameof(Settings))]
    public string Setting { get; set; } = "";

    /// <summary>The settings to run: all, or those listed in HFED_CKKS_SETTINGS (comma-separated).</summary>
    public static IEnumerable<string> Settings => CkksBenchmarkSetting.Selected;

    /// <summary>Ten parties, a collective key, an aggregate of ten encrypted vectors and ten shares of it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = CkksBenchmarkSetting.Create(Setting);
        var generator = new CkksKeyGenerator(_context);
        _keys = [.. Enumerable.Range(0, Parties).Select(_ => generator.GenerateSecretKey())];
        var crp = new CommonRandomPolynomial(_context, new byte[32]);
        var keyGen = new PublicKeyGenProtocol(_context);
        var publicKey = keyGen.GenPublicKey(keyGen.AggregateShares(_keys.Select(k => keyGen.GenShare(k, crp))), crp);
        var encryptor = new CkksEncryptor(_context, publicKey);
        var evaluator = new CkksEvaluator(_context);
        var values = new double[_context.Parameters.ValuesPerCiphertext];
        _aggregate = new CkksCiphertext(_context);
        for (var i = 0; i < Parties; i++)
        {
            evaluator.AddInPlace(_aggregate, encryptor.Encrypt(values));
        }

        _protocol = new CollectiveDecryptionProtocol(_context, new CkksNoiseBudget(Parties, Parties, Parties));
        _shares = [.. _keys.Select(k => _protocol.GenShare(k, _aggregate))];
        _output = new double[values.Length];
    }

    /// <summary>Disposes the keys.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    /// <summary>One party's decryption share for one ciphertext.</summary>
    [Benchmark]
    public DecryptionShare ShareGeneration() => _protocol.GenShare(_keys[0], _aggregate);

    /// <summary>Combining ten parties' shares and decoding one ciphertext.</summary>
    [Benchmark]
    public void CombineTenAndDecode() => _protocol.Decrypt(_aggregate, _protocol.AggregateShares(_shares), _output);
}
