using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// Encode+encrypt (public and secret key), addition and decrypt+decode, each reported per
/// ciphertext (OperationsPerInvoke): multiply by ceil(10^6 / values per ciphertext) for ms per
/// million parameters; the MsPerMillion column does it.
/// </summary>
[Config(typeof(CkksBenchmarkConfig))]
public class CkksOperationBenchmarks
{
    private const int Chunks = 24;
    private CkksContext _context = null!;
    private CkksEncryptor _publicEncryptor = null!;
    private CkksEncryptor _secretEncryptor = null!;
    private CkksDecryptor _decryptor = null!;
    private CkksEvaluator _evaluator = null!;
    private CkksSecretKey _secretKey = null!;
    private double[] _values = null!;
    private double[] _output = null!;
    private CkksCiphertext _scratch = null!;
    private CkksCiphertext[][] _vectors = null!;
    private CkksCiphertext[] _sums = null!;

    /// <summary>The parameter set.</summary>
    [ParamsSource(nameof(Settings))]
    public string Setting { get; set; } = "";

    /// <summary>The settings to run: all, or those listed in HFED_CKKS_SETTINGS (comma-separated).</summary>
    public static IEnumerable<string> Settings => CkksBenchmarkSetting.Selected;

    /// <summary>Keys, encryptors and ten encrypted vectors of <c>Chunks</c> ciphertexts each.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = CkksBenchmarkSetting.Create(Setting);
        var generator = new CkksKeyGenerator(_context);
        _secretKey = generator.GenerateSecretKey();
        _publicEncryptor = new CkksEncryptor(_context, generator.GeneratePublicKey(_secretKey));
        _secretEncryptor = new CkksEncryptor(_context, _secretKey);
        _decryptor = new CkksDecryptor(_context, _secretKey);
        _evaluator = new CkksEvaluator(_context);
        var random = new Random(1);
        _values = [.. Enumerable.Range(0, _context.Parameters.ValuesPerCiphertext).Select(_ => (random.NextDouble() * 2) - 1)];
        _output = new double[_values.Length];
        _scratch = new CkksCiphertext(_context);
        _vectors = [.. Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, Chunks).Select(_ => _publicEncryptor.Encrypt(_values)).ToArray())];
        _sums = [.. Enumerable.Range(0, Chunks).Select(_ => new CkksCiphertext(_context))];
    }

    /// <summary>Disposes the key.</summary>
    [GlobalCleanup]
    public void Cleanup() => _secretKey.Dispose();

    /// <summary>Encode + encrypt under the public key, per ciphertext.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public void EncryptPublicKey()
    {
        for (var i = 0; i < Chunks; i++)
        {
            _publicEncryptor.Encrypt(_values, _scratch);
        }
    }

    /// <summary>Encode + encrypt under the secret key (seeded), per ciphertext.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public void EncryptSecretKey()
    {
        for (var i = 0; i < Chunks; i++)
        {
            _secretEncryptor.Encrypt(_values, _scratch);
        }
    }

    /// <summary>Sum of ten encrypted vectors, per ciphertext position (nine additions each).</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public void SumOfTen()
    {
        for (var c = 0; c < Chunks; c++)
        {
            _evaluator.Add(_vectors[0][c], _vectors[1][c], _sums[c]);
            for (var v = 2; v < _vectors.Length; v++)
            {
                _evaluator.AddInPlace(_sums[c], _vectors[v][c]);
            }
        }
    }

    /// <summary>Decrypt + decode, per ciphertext.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public void DecryptDecode()
    {
        for (var c = 0; c < Chunks; c++)
        {
            _decryptor.Decrypt(_vectors[0][c], _output);
        }
    }
}
