using System.Text;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// The semantic tamper suite: a malicious aggregator holding its own key (and, where it says so,
/// colluding sites) rewrites meaning, not bytes: entries re-signed with the wrong key, approvals
/// removed or duplicated, history forked or cut short against heads the sites hold. Every case is
/// caught at a named entry. (Byte-level tampering is in <see cref="TamperTests"/>, governance rules
/// in <see cref="GovernanceTests"/>, back-dating in <see cref="TimeOrderTests"/>.)
/// </summary>
public sealed class SemanticTamperTests
{
    [Test]
    public void Verify_UploadSignatureFromAnotherSitesKey_FailsItsSignatureAtThatEntry()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Upload && e.Author == "site-01");
        var honest = entries[index];
        var impostor = LogEntry.Sign(sim.Sites[1], honest.PlanId, new EntryContent(honest.Kind, honest.Round, honest.Body), honest.Time);
        var line = Encoding.UTF8.GetString(LogLine.Encode(honest, null))
            .Replace(Convert.ToBase64String(honest.Signature), Convert.ToBase64String(impostor.Signature), StringComparison.Ordinal);
        entries[index] = LogLine.Decode(Encoding.UTF8.GetBytes(line), out _);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("signature"));
        Assert.That(result.Failure?.Why, Does.Contain("'site-01'"));
    }

    [Test]
    public void Verify_UploadReSignedByAnotherSite_FailsAtThatSitesOwnUpload()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Upload && e.Author == "site-01");
        var honest = entries[index];
        entries[index] = LogEntry.Sign(sim.Sites[1], honest.PlanId, new EntryContent(honest.Kind, honest.Round, honest.Body), honest.Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        // The substitute is a well-formed site-02 upload; site-02's own, next, is then its second.
        Assert.That(entries[index + 1].Author, Is.EqualTo("site-02"));
        Assert.That(result.Failure?.Index, Is.EqualTo(index + 1));
        Assert.That(result.Failure?.Why, Does.Contain("'site-02' uploaded twice in round 1"));
    }

    [Test]
    public void Verify_AggregatorEntryReSignedWithAnAdminKey_FailsAtThatEntry()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Metrics);
        var honest = entries[index];
        entries[index] = LogEntry.Sign(sim.Admins[0], honest.PlanId, new EntryContent(honest.Kind, honest.Round, honest.Body), honest.Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.Why, Does.Contain("'admin-1' has role 'admin', which may not write metrics entries"));
    }

    [Test]
    public void Verify_UploadSignedWithARevokedKey_FailsAtThatEntry()
    {
        using var sample = new SampleLog(rounds: 2);
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.Upload && e.Author == "site-03");
        var honest = entries[index];
        sim.Revoke(sim.Sites[2]);
        var afterRevocation = sim.Time.GetUtcNow().AddSeconds(1);
        entries[index] = LogEntry.Sign(sim.Sites[2], honest.PlanId, new EntryContent(honest.Kind, honest.Round, honest.Body), afterRevocation);

        var result = new LogVerifier(sim.Root, sim.Revocation).Verify(LogVerifier.SplitLines(LogForger.Rebuild(sim, entries)));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("certificate"));
        Assert.That(result.Failure?.Why, Does.Contain("revoked"));
    }

    [Test]
    public void Verify_ApprovalLineReplayedVerbatim_FailsAtTheCopy()
    {
        using var sample = new SampleLog();
        var entries = LogForger.Entries(sample);
        var approval = entries.FindIndex(e => e.Kind == LogEntryKind.Approval);
        entries.Insert(approval + 1, entries[approval]);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(approval + 1));
        Assert.That(result.Failure?.Why, Does.Contain("'admin-1' approved the plan twice"));
    }

    [Test]
    public void Verify_PerRoundApprovalReplacedByACopyOfAnother_FailsAtTheCopy()
    {
        using var sample = new SampleLog(rounds: 2, perRoundApproval: true);
        var entries = LogForger.Entries(sample);
        var roundTwo = entries.FindIndex(e => e.Kind == LogEntryKind.Approval && e.Round == 2);
        entries[roundTwo + 1] = entries[roundTwo];

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(roundTwo + 1));
        Assert.That(result.Failure?.Why, Does.Contain("approved round 2 twice"));
    }

    [Test]
    public void Verify_SampleCountsRewrittenAndEveryHeadReSigned_ForkCaughtWithASiteHeldHead()
    {
        using var sample = new SampleLog(rounds: 2);
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var held = entries.First(e => e.Kind == LogEntryKind.Countersignature);
        var size = TreeHead.From(held).Size;
        var metrics = entries.FindIndex(e => e.Kind == LogEntryKind.Metrics);
        var values = entries[metrics].Body["values"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
        entries[metrics] = LogEntry.Sign(sim.Aggregator, sample.Plan.Id, LogEntries.Metrics(1, 99_999, values), entries[metrics].Time);
        var forged = LogForger.Rebuild(sim, entries);

        var alone = sample.VerifyFile(forged);
        var withHeld = sample.VerifyFile(forged, [held]);

        Assert.That(alone.Ok, Is.True, "re-signed by the aggregator key and colluding sites: consistent on its own");
        Assert.That(withHeld.Failure?.What, Is.EqualTo("fork"));
        Assert.That(withHeld.Failure?.Index, Is.EqualTo(size - 1));
        Assert.That(withHeld.Failure?.Why, Does.Contain($"signed head for size {size}"));
    }

    [Test]
    public void Verify_LastRoundCutOffACompletedPlan_TruncationCaughtWithASiteHeldHead()
    {
        using var sample = new SampleLog(rounds: 2);
        var entries = LogForger.Entries(sample);
        var held = entries.Last(e => e.Kind == LogEntryKind.Countersignature);
        var lastRound = entries.FindIndex(e => e.Kind == LogEntryKind.RoundOpened && e.Round == 2);
        var cut = sample.Lines.Take(lastRound).ToList();

        var alone = sample.Verifier().Verify(cut);
        var withHeld = sample.Verifier().Verify(cut, [held]);

        Assert.That(alone.Ok, Is.True, "a prefix of a valid log is valid on its own");
        Assert.That(alone.Summary.Rounds.Count(r => r.Complete), Is.EqualTo(1));
        Assert.That(withHeld.Failure?.What, Is.EqualTo("truncation"));
        Assert.That(withHeld.Failure?.Index, Is.EqualTo(lastRound));
        Assert.That(withHeld.Failure?.Why, Does.Contain($"entries {lastRound} to"));
    }
}
