using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Benchmarks.Ledger;

/// <summary>
/// Offline verification of a 10,000-entry round log (issue 6: under 2 s), against the baseline
/// of the same number of bare ECDSA P-256 signature checks, the floor any verifier must pay.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class LogVerificationBenchmarks
{
    private ConsortiumSimulation _simulation = null!;
    private byte[] _file = [];
    private byte[] _transcript = [];
    private byte[] _signature = [];
    private ECDsa _key = null!;

    /// <summary>Entries in the log (approximately: whole rounds).</summary>
    [Params(10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 20 sites, 3 countersigners: 30 entries per round after a 25-entry governance prefix.
        _simulation = ConsortiumSimulation.Create(sites: 20);
        var rounds = (Entries - 25 + 29) / 30;
        var plan = ConsortiumSimulation.Plan(rounds, minSites: 10);
        using var store = new MemoryLogStore();
        _simulation.BuildLog(store, plan, countersigningSites: 3);
        _file = [.. store.ReadAll().SelectMany(l => l.Append((byte)'\n'))];
        Console.WriteLine($"// log: {store.Count} entries, {_file.Length} bytes");
        var site = _simulation.Sites[0];
        _transcript = SigningTranscript.Encode("bench", new MessageBinding(plan.Id, 1, site.Name, "*"), new byte[200]);
        _signature = site.Sign("bench", new MessageBinding(plan.Id, 1, site.Name, "*"), new byte[200]);
        _key = site.Certificate.GetECDsaPublicKey()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _simulation.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare ECDSA P-256 verifies (one per entry)")]
    public int BareSignatureChecks()
    {
        var ok = 0;
        for (var i = 0; i < Entries; i++)
        {
            ok += _key.VerifyData(_transcript, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) ? 1 : 0;
        }

        return ok;
    }

    [Benchmark(Description = "hfed audit verify (whole log)")]
    public bool VerifyLog()
    {
        var verifier = new LogVerifier(_simulation.Root, _simulation.Revocation);
        var result = verifier.Verify(LogVerifier.SplitLines(_file));
        return result.Ok ? true : throw new InvalidOperationException(result.Failure!.ToString());
    }
}
