using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed audit bench</c>: builds a simulated log of about N entries, then times its offline
/// verification against a baseline measured in the same run (N bare ECDSA P-256 verifications
/// on one thread), reporting wall-clock and process CPU time. CPU time is the figure that
/// survives a shared, noisy machine; the ratio is the claim.
/// </summary>
internal static class AuditBenchCommand
{
    public static Command Create()
    {
        var entries = new Option<int>("--entries") { Description = "Approximate log size", DefaultValueFactory = _ => 10_000 };
        var repeats = new Option<int>("--repeat") { Description = "Measurements of each (the best is reported)", DefaultValueFactory = _ => 5 };
        var command = new Command("bench", "Measure offline verification of a simulated log against bare ECDSA verification in the same run.") { entries, repeats };
        CliAction.Set(command, (parse, output, cancellationToken) =>
        {
            var n = parse.GetValue(entries);
            var r = parse.GetValue(repeats);
            if (n is < 100 or > 1_000_000 || r is < 1 or > 100)
            {
                throw new CliException("--entries must be from 100 to 1000000 and --repeat from 1 to 100");
            }

            using var simulation = ConsortiumSimulation.Create(sites: 20);
            var plan = ConsortiumSimulation.Plan((n - 25 + 29) / 30, minSites: 10);
            using var store = new MemoryLogStore();
            simulation.BuildLog(store, plan, countersigningSites: 3);
            var file = store.ReadAll().SelectMany(l => l.Append((byte)'\n')).ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log: {store.Count} entries, {file.Length / 1e6:F1} MB; {Environment.ProcessorCount} cores"));

            var site = simulation.Sites[0];
            var binding = new MessageBinding(plan.Id, 1, site.Name, MessageBinding.Broadcast);
            var transcript = SigningTranscript.Encode("bench", binding, new byte[200]);
            var signature = site.Sign("bench", binding, new byte[200]);
            using var key = site.Certificate.GetECDsaPublicKey()!;
            var count = (int)store.Count;
            var baseline = Best(r, cancellationToken, () =>
            {
                for (var i = 0; i < count; i++)
                {
                    key.VerifyData(transcript, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            });
            var verify = Best(r, cancellationToken, () =>
            {
                var result = new LogVerifier(simulation.Root, simulation.Revocation).Verify(LogVerifier.SplitLines(file));
                if (!result.Ok)
                {
                    throw new CliException($"the simulated log did not verify: {result.Failure}", ExitCodes.Internal);
                }
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline, {count} bare ECDSA P-256 verifies on one thread: wall {baseline.Wall.TotalSeconds:F3} s, cpu {baseline.Cpu.TotalSeconds:F3} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hfed audit verify of the whole log:                 wall {verify.Wall.TotalSeconds:F3} s, cpu {verify.Cpu.TotalSeconds:F3} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio verify/baseline: wall {verify.Wall / baseline.Wall:F2}, cpu {verify.Cpu / baseline.Cpu:F2}"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Best(int repeats, CancellationToken cancellationToken, Action run)
    {
        run(); // warm-up: JIT, OpenSSL key import, caches
        var best = (Wall: TimeSpan.MaxValue, Cpu: TimeSpan.MaxValue);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repeats; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            run();
            wall.Stop();
            process.Refresh();
            best = (Min(best.Wall, wall.Elapsed), Min(best.Cpu, process.TotalProcessorTime - cpu));
        }

        return best;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
