using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Ledger.Log;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// A site revoked with <c>hfed pki revoke</c> while the consortium runs, with real aggregator and
/// site processes on loopback: the aggregator takes the re-issued CRL file into force without a
/// restart and refuses the site from then on; a restarted aggregator resumes the plan, because the
/// site's entries made before its revocation stay valid. Round 1 is the feature-statistics round.
/// </summary>
/// <remarks>
/// The revoked site is frozen (SIGSTOP) before the revocation, so it signs nothing dated after its
/// revocation time: an entry the CA has already revoked can never verify, whoever accepts it.
/// </remarks>
[TestFixture]
public sealed class RevocationTests
{
    private const string Revoked = "va";
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Federation_SiteRevokedWhileRunning_RefusedFromTheNextRoundAndPlanCompletes()
    {
        using var federation = Federation.Start();
        var aggregator = federation.StartAggregator();
        federation.StartSites();

        // Act: once the first training round is open, freeze va, revoke it and distribute the CRL.
        await aggregator.WaitForLineAsync(@"round 2 phase AdvertisingKeys\b", Timeout);
        federation.Sites[Revoked].Signal("STOP");
        var serial = await federation.RevokeAsync(Revoked);
        await aggregator.WaitForLineAsync($"reloaded: {Revoked} \\(serial {serial}\\) revoked at", Timeout);
        federation.Sites[Revoked].Signal("CONT");
        var code = await federation.WaitForOthersAsync(aggregator);

        // Assert: va is out of every later round, the plan completed with the three others, and the log verifies with the new CRL.
        var output = aggregator.Output;
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("round 2: 3 contributors").And.Contain("round 3: 3 contributors").And.Contain("plan completed"));
        var log = await federation.VerifiedRoundLogAsync();
        Assert.That(log.Where(e => e.Author == Revoked && e.Round >= 3), Is.Empty, "nothing of va's after its revocation");
        Assert.That(log.Where(e => e.Kind == LogEntryKind.RoundOpened && e.Round >= 3).Select(e => e.Body["sites"]!.AsArray().Select(n => n!.GetValue<string>())), Has.All.Not.Contains(Revoked), "not invited again");
    }

    [Test]
    public async Task Federation_AggregatorStoppedSiteRevokedAndRestarted_ResumesAndCompletesWithoutTheSite()
    {
        using var federation = Federation.Start();
        var first = federation.StartAggregator();
        federation.StartSites();

        // Act: stop the aggregator once round 2 completed, revoke va, restart the aggregator.
        await first.WaitForLineAsync(@"round 3 phase AdvertisingKeys\b", Timeout);
        first.Kill();
        await federation.RevokeAsync(Revoked);
        var second = federation.StartAggregator();
        var code = await federation.WaitForOthersAsync(second);

        // Assert: resumed (va's earlier entries still verify) and completed with the three others.
        var output = second.Output;
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("resumed from").And.Contain("plan completed").And.Not.Contain("does not verify"));
        var log = await federation.VerifiedRoundLogAsync();
        Assert.That(log.Where(e => e.Author == Revoked), Is.Not.Empty, "va's entries from before its revocation are kept and verify");
        var last = log.Last(e => e.Kind == LogEntryKind.Aggregate);
        Assert.That(last.Body["contributors"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(), Has.Count.EqualTo(3).And.Not.Contains(Revoked));
    }

    /// <summary>The demo consortium on disk with its CA written out as a <c>hfed pki</c> directory; disposing kills every process started.</summary>
    private sealed class Federation : IDisposable
    {
        private const string Passphrase = "integration test CA passphrase";
        private readonly string _directory;
        private readonly FederationDemoFiles _files;
        private readonly List<HfedProcess> _aggregators = [];

        private Federation(string directory, FederationDemoFiles files)
        {
            _directory = directory;
            _files = files;
        }

        public Dictionary<string, HfedProcess> Sites { get; } = new(StringComparer.Ordinal);

        private string CaDirectory => Path.Combine(_directory, "ca");

        public static Federation Start()
        {
            var directory = Directory.CreateTempSubdirectory("hfed-it-revoke-").FullName;
            var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
            var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
            config["joinTimeoutSeconds"] = 10; // a restarted aggregator waits this long for the revoked site, then goes on
            config["phaseTimeoutSeconds"] = 10; // the phase the revoked site misses closes after this
            File.WriteAllText(files.PathOf("aggregator.json"), config.ToJsonString());
            var ca = Directory.CreateDirectory(Path.Combine(directory, "ca")).FullName;
            File.WriteAllText(Path.Combine(ca, "root.cert.pem"), files.Root.ExportCertificatePem());
            File.WriteAllText(Path.Combine(ca, "root.key.pem"), files.Authority.ExportEncryptedKeyPem(Passphrase));
            File.Copy(files.PathOf("consortium.crl.pem"), Path.Combine(ca, "consortium.crl.pem"));
            File.WriteAllText(Path.Combine(ca, "passphrase"), Passphrase);
            return new Federation(directory, files);
        }

        public HfedProcess StartAggregator()
        {
            var aggregator = new HfedProcess("aggregator", "run", "--config", _files.PathOf("aggregator.json"));
            _aggregators.Add(aggregator);
            return aggregator;
        }

        public void StartSites()
        {
            foreach (var name in Hospitals)
            {
                Sites[name] = new HfedProcess("site", "run", "--config", _files.PathOf($"{name}.json"));
            }
        }

        /// <summary>Revokes <paramref name="site"/> with <c>hfed pki revoke</c> and distributes the CRL (replaced atomically); returns its serial.</summary>
        public async Task<string> RevokeAsync(string site)
        {
            using var revoke = new HfedProcess("pki", "revoke", "--ca", CaDirectory, "--cert", _files.PathOf($"{site}.cert.pem"), "--passphrase-file", Path.Combine(CaDirectory, "passphrase"));
            Assert.That(await revoke.WaitAsync(Timeout), Is.Zero, revoke.Output);
            var staged = _files.PathOf("consortium.crl.pem.new");
            File.Copy(Path.Combine(CaDirectory, "consortium.crl.pem"), staged);
            File.Move(staged, _files.PathOf("consortium.crl.pem"), overwrite: true);
            return Regex.Match(revoke.Output, @"serial ([0-9A-F]+)").Groups[1].Value;
        }

        /// <summary>Waits (bounded) for every site but the revoked one to exit 0, then returns the aggregator's exit code.</summary>
        public async Task<int> WaitForOthersAsync(HfedProcess aggregator)
        {
            var others = Sites.Where(s => s.Key != Revoked).Select(s => s.Value).ToList();
            int[] codes;
            try
            {
                codes = await Task.WhenAll(others.Select(s => s.WaitAsync(Timeout)));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\n--- the aggregator's output so far:\n{aggregator.Output}", ex);
            }
            Assert.That(codes, Is.All.Zero, string.Join("\n", others.Select(s => s.Output)));
            return await aggregator.WaitAsync(Timeout);
        }

        /// <summary>The auditor's path with the new CRL: export, verify, return the entries.</summary>
        public async Task<IReadOnlyList<LogEntry>> VerifiedRoundLogAsync()
        {
            await AggregatorStartTests.AssertLogVerifiesAsync(_files);
            return [.. File.ReadAllLines(_files.PathOf("round-log.jsonl")).Select(line => LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(line), out _))];
        }

        public void Dispose()
        {
            foreach (var process in Sites.Values.Concat(_aggregators))
            {
                process.Dispose();
            }

            Assert.That(Sites.Values.Concat(_aggregators).All(p => p.HasExited), Is.True, "no process left behind");
            _files.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
