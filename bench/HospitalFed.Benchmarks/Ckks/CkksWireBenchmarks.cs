using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// The default preset through its wire form, compressed (c0 and shares in 45 bits) beside the same
/// parameters uncompressed, in one run: encrypt to bytes, sum ten uploads from bytes, single-key
/// decrypt from bytes, a decryption share to bytes, and ten shares from bytes combined and decoded.
/// Each reported per ciphertext; the MsPerMillion column scales to 10^6 values.
/// </summary>
[Config(typeof(CkksWireBenchmarkConfig))]
public class CkksWireBenchmarks
{
    private const int Chunks = 8;
    private const int Parties = 10;
    private CkksContext _context = null!;
    private CkksVectorEncryptor _encryptor = null!;
    private CkksVectorDecryptor _decryptor = null!;
    private CollectiveDecryptionProtocol _protocol = null!;
    private CkksSecretKey[] _keys = null!;
    private double[] _values = null!;
    private double[] _output = null!;
    private byte[][][] _uploads = null!;
    private CkksCiphertext _aggregate = null!;
    private byte[][] _shares = null!;
    private long _length;

    /// <summary>The parameter set.</summary>
    [ParamsSource(nameof(Settings))]
    public string Setting { get; set; } = "";

    /// <summary>The default preset, compressed and uncompressed.</summary>
    public static IEnumerable<string> Settings => CkksBenchmarkSetting.WireSelected;

    /// <summary>A ten-party collective key, ten serialised uploads of <c>Chunks</c> chunks, ten serialised shares.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = CkksBenchmarkSetting.Create(Setting);
        var generator = new CkksKeyGenerator(_context);
        _keys = [.. Enumerable.Range(0, Parties).Select(_ => generator.GenerateSecretKey())];
        var crp = new CommonRandomPolynomial(_context, new byte[32]);
        var keyGen = new PublicKeyGenProtocol(_context);
        var publicKey = keyGen.GenPublicKey(keyGen.AggregateShares(_keys.Select(k => keyGen.GenShare(k, crp))), crp);
        _encryptor = new CkksVectorEncryptor(_context, new CkksEncryptor(_context, publicKey));
        var random = new Random(1);
        _values = [.. Enumerable.Range(0, _context.Parameters.ValuesPerCiphertext).Select(_ => (random.NextDouble() * 2) - 1)];
        _length = (long)Chunks * _values.Length;
        var vector = Enumerable.Repeat(_values, Chunks).SelectMany(v => v).ToArray();
        _uploads = [.. Enumerable.Range(0, Parties).Select(_ =>
        {
            var chunks = new byte[Chunks][];
            _encryptor.Encrypt(vector, (i, bytes) => chunks[i] = bytes.ToArray());
            return chunks;
        })];
        var accumulator = new CkksVectorAccumulator(_context, _length);
        foreach (var upload in _uploads)
        {
            accumulator.Add(0, upload[0]);
        }

        _aggregate = accumulator.Chunks[0];
        _protocol = new CollectiveDecryptionProtocol(_context, new CkksNoiseBudget(Parties, Parties, Parties));
        _shares = [.. _keys.Select(k => _protocol.GenShare(k, _aggregate).ToBytes())];
        // single-key decryption needs the collective key: here the sum of the ten secrets
        _decryptor = new CkksVectorDecryptor(_context, new CkksDecryptor(_context, SumOfKeys()));
        _output = new double[_length];
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

    /// <summary>Encode + encrypt under the collective key + serialise, per ciphertext.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public long EncryptToWire()
    {
        long bytes = 0;
        for (var c = 0; c < Chunks; c++)
        {
            _encryptor.EncryptChunk(_values, c, (_, ciphertext) => bytes += ciphertext.Length);
        }

        return bytes;
    }

    /// <summary>Ten serialised uploads parsed and summed, then the sums read, per ciphertext position.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public int SumOfTenFromWire()
    {
        var accumulator = new CkksVectorAccumulator(_context, _length);
        for (var c = 0; c < Chunks; c++)
        {
            foreach (var upload in _uploads)
            {
                accumulator.Add(c, upload[c]);
            }
        }

        return accumulator.Chunks.Count;
    }

    /// <summary>Parse + decrypt + decode with one key, per ciphertext.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public void DecryptFromWire()
    {
        for (var c = 0; c < Chunks; c++)
        {
            _decryptor.DecryptChunk(_uploads[0][c], c, _output);
        }
    }

    /// <summary>One party's decryption share, serialised, per ciphertext.</summary>
    [Benchmark]
    public byte[] ShareToWire() => _protocol.GenShare(_keys[0], _aggregate).ToBytes();

    /// <summary>Ten serialised shares parsed, combined and decoded, per ciphertext.</summary>
    [Benchmark]
    public void CombineTenFromWire() =>
        _protocol.Decrypt(_aggregate, _protocol.AggregateShares(_shares.Select(b => DecryptionShare.Parse(_context, b))), _output);

    private CkksSecretKey SumOfKeys()
    {
        var data = new ulong[_keys[0].Data.Length];
        var n = _context.N;
        var primes = _context.Parameters.CoefficientModuli;
        foreach (var key in _keys)
        {
            for (var j = 0; j < data.Length; j++)
            {
                var q = primes[(j / n) % primes.Count];
                data[j] = (data[j] + key.Data[j]) % q;
            }
        }

        return new CkksSecretKey(_context, data);
    }
}
