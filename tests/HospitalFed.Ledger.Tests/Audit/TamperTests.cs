using HospitalFed.Ledger.Log;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>Structural tampering with an exported log: byte flips, deletions, reorderings, insertions, truncation, forks.</summary>
public sealed class TamperTests
{
    private static SampleLog _sample = null!;
    private static byte[] _file = [];

    [OneTimeSetUp]
    public static void BuildLog()
    {
        _sample = new SampleLog(sites: 3, rounds: 2, countersigners: 1);
        _file = _sample.File;
    }

    [OneTimeTearDown]
    public static void Dispose() => _sample.Dispose();

    [Test]
    public void Verify_UntouchedLog_IsClean()
    {
        var result = _sample.VerifyFile(_file);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
    }

    [Test]
    public void Verify_SingleByteFlips_AllDetected()
    {
        // Every byte outside the embedded certificates, the tail of every certificate's base64
        // (padding flips change the DER's length), and a seeded sample of the other certificate
        // bytes (caught by the X.509 parser or the chain signature): each XOR-ed with a random
        // non-zero value.
        var random = new Random(6);
        var positions = CandidatePositions(_file, random);
        var missed = new List<int>();
        foreach (var position in positions)
        {
            var tampered = _file.ToArray();
            tampered[position] ^= (byte)random.Next(1, 256);
            if (_sample.VerifyFile(tampered).Ok)
            {
                missed.Add(position);
            }
        }

        Assert.That(missed, Is.Empty, $"{missed.Count} of {positions.Count} flips went unnoticed");
        Assert.That(positions, Has.Count.GreaterThan(_file.Length / 3));
    }

    [Test]
    public void Verify_ByteAppendedToCertificateAfterLastHead_Detected()
    {
        // Found by an out-of-suite corpus: '=' flipped to '/' in the last entry's certificate
        // grows its DER by one byte, which X.509 loaders ignore. The last entry is covered by
        // no tree head, so only the exact-DER rule can catch it.
        var lines = _sample.Lines;
        var last = System.Text.Encoding.UTF8.GetString(lines[^1]);
        var entry = LogLine.Decode(lines[^1], out _);
        var cert = Convert.ToBase64String(entry.CertificateDer);
        var grown = Convert.ToBase64String([.. entry.CertificateDer, 0x00]);
        lines[^1] = System.Text.Encoding.UTF8.GetBytes(last.Replace(cert, grown, StringComparison.Ordinal));

        var result = _sample.Verifier().Verify(lines);

        Assert.That(result.Failure?.Index, Is.EqualTo(lines.Count - 1));
        Assert.That(result.Failure?.Why, Does.Contain("beyond its DER encoding"));
    }

    [Test]
    public void Verify_AnyEntryButTheLastDeleted_Detected()
    {
        // Deleting the last entry is truncation: see the truncation tests.
        var lines = _sample.Lines;
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var shorter = lines.Where((_, j) => j != i).ToList();

            Assert.That(_sample.Verifier().Verify(shorter).Ok, Is.False, $"deleting entry {i}");
        }
    }

    [Test]
    public void Verify_AnyTwoAdjacentEntriesSwapped_Detected()
    {
        var lines = _sample.Lines;
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            var swapped = lines.ToList();
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);

            Assert.That(_sample.Verifier().Verify(swapped).Ok, Is.False, $"swapping {i} and {i + 1}");
        }
    }

    [Test]
    public void Verify_ExistingEntryReplayedElsewhere_Detected()
    {
        var lines = _sample.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var longer = lines.ToList();
            longer.Insert(Math.Min(i + 3, longer.Count), lines[i]);

            Assert.That(_sample.Verifier().Verify(longer).Ok, Is.False, $"replaying entry {i}");
        }
    }

    [Test]
    public void Verify_ValidlySignedEntryInsertedBeforeHead_Detected()
    {
        var sim = _sample.Simulation;
        var extra = LogEntry.Sign(sim.Sites[0], _sample.Plan.Id, LogEntries.Metrics(1, 1, new Dictionary<string, double> { ["auc"] = 0.9 }), sim.Time.GetUtcNow());
        var entries = LogForger.Entries(_sample);
        var headIndex = entries.FindIndex(e => e.Kind == LogEntryKind.TreeHead);
        var lines = _sample.Lines;

        // Re-index every line after the insertion point so only the Merkle tree can tell.
        var rebuilt = new List<byte[]>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (i == headIndex - 1)
            {
                rebuilt.Add(LogLine.Encode(extra, rebuilt.Count));
            }

            rebuilt.Add(LogLine.Encode(entries[i], rebuilt.Count));
        }

        var result = _sample.Verifier().Verify(rebuilt);

        Assert.That(result.Ok, Is.False);
        Assert.That(lines, Has.Count.EqualTo(entries.Count));
    }

    [Test]
    public void Verify_TruncatedLogWithHeldCountersignature_ReportsTruncationAtEverySize()
    {
        // The site's countersignature is the last entry: holding it, the auditor detects the
        // loss of any suffix, down to that very entry.
        var lines = _sample.Lines;
        var heldCountersignature = LogForger.Entries(_sample).Last(e => e.Kind == LogEntryKind.Countersignature);

        for (var size = 0; size < lines.Count; size++)
        {
            var result = _sample.Verifier().Verify(lines.Take(size).ToList(), [heldCountersignature]);

            Assert.That(result.Failure?.What, Is.EqualTo("truncation"), $"truncated to {size}");
        }

        Assert.That(_sample.Verifier().Verify(lines, [heldCountersignature]).Ok, Is.True);
    }

    [Test]
    public void Verify_HeldTreeHeadAlone_ProvesTheLogReachedItsOwnIndex()
    {
        var lines = _sample.Lines;
        var heldHead = LogForger.Entries(_sample).Last(e => e.Kind == LogEntryKind.TreeHead);
        var headSize = (int)TreeHead.From(heldHead).Size;

        var cutBeforeHead = _sample.Verifier().Verify(lines.Take(headSize).ToList(), [heldHead]);
        var keptHead = _sample.Verifier().Verify(lines.Take(headSize + 1).ToList(), [heldHead]);

        Assert.That(cutBeforeHead.Failure?.What, Is.EqualTo("truncation"));
        Assert.That(keptHead.Ok, Is.True, keptHead.Failure?.ToString());
    }

    [Test]
    public void Verify_TruncatedLogWithoutHeldHead_VerifiesAsItsPrefix()
    {
        // What an auditor cannot see offline: a prefix of a valid log is itself a valid log.
        // Hence the auditor's guide: always verify with a head obtained from a site (--head).
        var lines = _sample.Lines;

        var result = _sample.Verifier().Verify(lines.Take(lines.Count - 2).ToList());

        Assert.That(result.Ok, Is.True);
        Assert.That(result.Summary.LastHeadSize, Is.LessThan(lines.Count));
    }

    [Test]
    public void Verify_ForkWithTwoHeadsForOneSize_Detected()
    {
        // The aggregator rewrites the log (a refused site becomes an accepting one) and re-signs
        // every head; a site's countersigned head of the original history exposes the fork.
        var sim = _sample.Simulation;
        var entries = LogForger.Entries(_sample);
        var honestCountersignature = entries.Last(e => e.Kind == LogEntryKind.Countersignature);
        var decision = entries.FindIndex(e => e.Kind == LogEntryKind.SiteDecision);
        entries[decision] = LogEntry.Sign(sim.Sites[0], _sample.Plan.Id, LogEntries.SiteDecision(true, ["re-signed"]), entries[decision].Time);
        var fork = LogForger.Rebuild(sim, entries);

        var alone = _sample.VerifyFile(fork);
        var withHeld = _sample.VerifyFile(fork, [honestCountersignature]);

        Assert.That(alone.Ok, Is.True, "the fork is internally consistent: only a held head can expose it");
        Assert.That(withHeld.Failure?.What, Is.EqualTo("fork"));
    }

    [Test]
    public void Verify_CountersignatureCopiedFromOtherHistory_Detected()
    {
        var sim = _sample.Simulation;
        var entries = LogForger.Entries(_sample);
        var honestCountersignature = entries.Last(e => e.Kind == LogEntryKind.Countersignature);
        var decision = entries.FindIndex(e => e.Kind == LogEntryKind.SiteDecision);
        entries[decision] = LogEntry.Sign(sim.Sites[0], _sample.Plan.Id, LogEntries.SiteDecision(true, ["re-signed"]), entries[decision].Time);
        var fork = LogForger.Rebuild(sim, entries).ToList();
        fork.AddRange(LogLine.Encode(honestCountersignature, entries.Count));
        fork.Add((byte)'\n');

        var result = _sample.VerifyFile([.. fork]);

        Assert.That(result.Failure?.What, Is.EqualTo("fork"));
    }

    private static List<int> CandidatePositions(byte[] file, Random random)
    {
        var positions = new List<int>();
        var marker = "\"cert\":\""u8.ToArray();
        var inCert = false;
        for (var i = 0; i < file.Length; i++)
        {
            if (!inCert && i >= marker.Length && file.AsSpan(i - marker.Length, marker.Length).SequenceEqual(marker))
            {
                inCert = true;
            }
            else if (inCert && file[i] == (byte)'"')
            {
                inCert = false;
                positions.AddRange(Enumerable.Range(i - 4, 4).Where(p => !positions.Contains(p))); // the base64 tail and padding
            }

            if (!inCert || random.Next(12) == 0)
            {
                positions.Add(i);
            }
        }

        positions.Sort();
        return positions;
    }
}
