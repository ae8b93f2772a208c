using HospitalFed.Aggregator.Orchestration;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>CKKS protection through the orchestrator and four site agents: set-up, rounds, dropouts and refused shares.</summary>
[TestFixture]
public sealed class CkksRoundTests
{
    [Test]
    public void Plan_Ckks_SetsUpKeysTrainsAndTheLogVerifies()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 8, protection: "ckks", sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History, Has.Count.EqualTo(8));
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        Assert.That(orchestrator.History[^1].Metrics["accuracy"], Is.GreaterThan(0.7));
        Assert.That(federation.Agents.Values.All(a => a.PlanCompleted && a.ModelDigest == orchestrator.History[^1].ModelDigest), Is.True);
        Assert.That(new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify(federation.LogLines).Ok, Is.True);
    }

    [Test]
    public void Round_Decryption_AsksExactlyTContributorsRotatedByRound()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, protection: "ckks", sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert: t = 3 of 4; the three asked start at the round's offset in name order.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        Assert.That(DecryptorsByRound(federation), Is.EqualTo(new[]
        {
            "1: site-01,site-02,site-03",
            "2: site-02,site-03,site-04",
            "3: site-01,site-03,site-04",
        }));
    }

    [Test]
    public void Round_SiteSilentAtDecryption_AnotherTAreAskedAndTheRoundCompletes()
    {
        // Arrange: site-04 is first asked in round 2 (rotation), and stays silent from then on.
        using var federation = new InProcessFederation(rounds: 3, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-04"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        RunOut(federation);

        // Assert: round 2 is asked again without site-04, and its input is in round 2's sum.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History[0].Contributors, Has.Count.EqualTo(4));
        Assert.That(orchestrator.History[1].Contributors, Has.Count.EqualTo(4));
        Assert.That(orchestrator.History[2].Contributors, Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
        Assert.That(DecryptorsByRound(federation).Where(d => d.StartsWith("2:", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "2: site-02,site-03,site-04",
            "2: site-01,site-02,site-03",
        }));
        Assert.That(new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify(federation.LogLines).Ok, Is.True);
    }

    [Test]
    public void Round_SiteSilentAtUpload_IsADropoutAndTheOthersAreSummed()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-02"] = SiteTask.TaskOneofCase.Invitation;
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        RunOut(federation);

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History[0].Contributors, Is.EqualTo(new[] { "site-01", "site-03", "site-04" }));
        Assert.That(orchestrator.History[0].Dropped, Is.EqualTo(new[] { "site-02" }));
    }

    [Test]
    public void Round_TwoSitesSilentAtDecryption_FewerThanTAbortsTheRoundAndTheAggregatorWaits()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-03"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.CrashAt["site-04"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        for (var i = 0; i < 20 && federation.Orchestrator.WaitingReason is null; i++)
        {
            federation.ExpireDeadline(); // until round 1 aborts
        }

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.WaitingForSites), "the aggregator stays up");
        Assert.That(orchestrator.WaitingReason, Does.StartWith("round 1 aborted").And.Contain("t = 3"));
        Assert.That(orchestrator.History, Is.Empty);
        Assert.That(Entries(federation).Any(e => e.Kind == LogEntryKind.Aggregate), Is.False);
        Assert.That(Entries(federation).Single(e => e.Kind == LogEntryKind.RoundAborted).Round, Is.EqualTo(1));
        Assert.That(federation.Agents["site-01"].PlanEnded, Is.False, "a surviving site waits for the next round");
    }

    [TestCase("signature")]
    [TestCase("share")]
    [TestCase("chunk")]
    [TestCase("round")]
    [TestCase("digest")]
    public void DecryptionShare_ForgedOrStale_IsRefusedAndNothingIsDecoded(string tamper)
    {
        // Arrange: run up to the decryption phase of round 1, holding site-01's answer back.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-01"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var request = federation.Orchestrator.Connect("site-01").Single(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksDecryption);
        var reply = federation.Agents["site-01"].Handle(request.Task).Messages.Single().Clone();
        var share = reply.CkksDecryptionShares.Shares[0];
        switch (tamper)
        {
            case "signature": share.Signature = Flip(share.Signature); break;
            case "share": share.Share = Flip(share.Share); break;
            case "chunk": share.ChunkIndex = 1; break;
            case "round": reply.CkksDecryptionShares.Round = 2; share.Round = 2; break;
            default: share.AggregateDigest = Flip(share.AggregateDigest); break;
        }

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Orchestrator.Receive("site-01", reply));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("site-01"));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Decrypting));
        Assert.That(federation.Orchestrator.History, Is.Empty);
    }

    [Test]
    public void DecryptionShares_SentTwice_SecondIsRefusedAndNotSummedAgain()
    {
        // Arrange: round 1 asks site-01..03 (t = 3); site-01's and site-02's answers are held back.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-01"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.CrashAt["site-02"] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.Orchestrator.Start();
        federation.ConnectAll();
        SiteMessage Answer(string site) => federation.Agents[site].Handle(federation.Orchestrator.Connect(site).Single(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksDecryption).Task).Messages.Single();
        var first = Answer("site-01");
        federation.Orchestrator.Receive("site-01", first);

        // Act
        var replay = Assert.Throws<OrchestratorException>(() => federation.Orchestrator.Receive("site-01", first));
        federation.Orchestrator.Receive("site-02", Answer("site-02"));

        // Assert: the replay was refused (the orchestrator guards it before the protection does), and the three distinct shares decode round 1.
        Assert.That(replay!.Message, Does.Contain("already answered"));
        Assert.That(federation.Orchestrator.History, Has.Count.EqualTo(1), federation.Orchestrator.FailureReason);
        Assert.That(federation.Orchestrator.History[0].Contributors, Has.Count.EqualTo(4));
    }

    [TestCase("mask")]
    [TestCase("hash")]
    [TestCase("missing")]
    public void DecryptionTask_MaskOrChunkHashTampered_SiteRefusesToShare(string tamper)
    {
        // Arrange: round 1's decryption task for site-01, altered on the way.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        var task = DecryptionTaskFor(federation, "site-01");
        var decryption = task.CkksDecryption;
        switch (tamper)
        {
            case "mask": decryption.AggregateMasks[0] = Flip(decryption.AggregateMasks[0]); break;
            case "hash": decryption.CiphertextHashes[^1] = Flip(decryption.CiphertextHashes[^1]); break;
            default: decryption.AggregateMasks.RemoveAt(decryption.AggregateMasks.Count - 1); break;
        }

        // Act
        var refusal = Assert.Throws<InvalidOperationException>(() => federation.Agents["site-01"].Handle(task));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("does not match the digest"));
    }

    [Test]
    public void DecryptionTask_AggregateIsOneContributorsCiphertext_SiteRefusesToShare()
    {
        // Arrange: a malicious aggregator presents contributor X's c1 as the aggregate's, with the
        // split digest recomputed to match, so only the c1 sum check can tell.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        var task = DecryptionTaskFor(federation, "site-01");
        var decryption = task.CkksDecryption;
        var victim = decryption.ContributorMasks.First(m => m.Contributor != "site-01");
        var header = decryption.AggregateMasks[0].Span[..22].ToArray(); // a CiphertextMask is this header and the same c1 bits
        decryption.AggregateMasks.Clear();
        decryption.AggregateMasks.AddRange(victim.MaskSections.Select(section => ByteString.CopyFrom([.. header, .. section.Span])));

        decryption.Request.AggregateDigest = ByteString.CopyFrom(AggregateDigest.ComputeSplit(
            [.. decryption.CiphertextHashes.Select(h => h.Memory)], [.. decryption.AggregateMasks.Select(m => m.Memory)]));

        // Act
        var refusal = Assert.Throws<InvalidOperationException>(() => federation.Agents["site-01"].Handle(task));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("is not the sum of the listed contributions"));
    }

    [TestCase("section")]
    [TestCase("head")]
    [TestCase("dropped")]
    public void DecryptionTask_ContributorMasksTampered_SiteRefusesToShare(string tamper)
    {
        // Arrange: round 1's decryption task for site-01, one contributor's c1 data altered on the way.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        var task = DecryptionTaskFor(federation, "site-01");
        var masks = task.CkksDecryption.ContributorMasks;
        switch (tamper)
        {
            case "section": masks[^1].MaskSections[0] = Flip(masks[^1].MaskSections[0]); break;
            case "head": masks[0].HeadHashes[^1] = Flip(masks[0].HeadHashes[^1]); break;
            default: masks.RemoveAt(masks.Count - 1); break;
        }

        // Act
        var refusal = Assert.Throws<InvalidOperationException>(() => federation.Agents["site-01"].Handle(task));

        // Assert
        Assert.That(refusal!.Message, Does.StartWith("decryption request refused").And.Contain(tamper == "dropped" ? "the contributors are" : "do not match the digest it signed"));
    }

    [Test]
    public void Site_RestartedAfterSetUp_RejoinsWithItsStoredShare()
    {
        // Arrange: the set-up and round 1 run; then site-02's process restarts (a fresh agent, same key store).
        using var federation = new InProcessFederation(rounds: 3, protection: "ckks", sitesDecideOnline: true);
        federation.CrashAt["site-02"] = SiteTask.TaskOneofCase.Result;
        federation.Orchestrator.Start();
        federation.ConnectAll();
        Assert.That(federation.Orchestrator.History, Has.Count.EqualTo(1));
        federation.RestartAgent("site-02");
        federation.Crashed.Remove("site-02");
        federation.CrashAt.Remove("site-02");

        // Act: it reconnects and gets its due task (round 2's invitation).
        federation.Pump(new Queue<Outgoing>(federation.Orchestrator.Connect("site-02")));

        // Assert: it encrypted under the stored collective key and gave decryption shares from its stored threshold share.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History.Skip(1).All(r => r.Contributors.Contains("site-02")), Is.True);
        Assert.That(federation.Agents["site-02"].PlanCompleted, Is.True);
    }

    private static ByteString Flip(ByteString bytes)
    {
        var copy = bytes.ToByteArray();
        copy[copy.Length / 2] ^= 0x01;
        return ByteString.CopyFrom(copy);
    }

    private static void RunOut(InProcessFederation federation)
    {
        for (var i = 0; i < 20 && federation.Orchestrator.Phase is not (OrchestratorPhase.Completed or OrchestratorPhase.Failed); i++)
        {
            federation.ExpireDeadline();
        }
    }

    private static string[] DecryptorsByRound(InProcessFederation federation) =>
        [.. federation.Delivered
            .Where(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksDecryption)
            .Select(o => $"{o.Task.CkksDecryption.Request.Round}: {string.Join(",", o.Task.CkksDecryption.ActiveSites)}")
            .Distinct(StringComparer.Ordinal)];

    private static IEnumerable<LogEntry> Entries(InProcessFederation federation)
    {
        for (long i = 0; i < federation.Log.Size; i++)
        {
            yield return federation.Log.Entry(i);
        }
    }

    /// <summary>Runs the set-up and round 1 up to the decryption request, and returns a copy of <paramref name="site"/>'s (it crashes on receipt, so the round waits).</summary>
    private static SiteTask DecryptionTaskFor(InProcessFederation federation, string site)
    {
        federation.CrashAt[site] = SiteTask.TaskOneofCase.CkksDecryption;
        federation.Orchestrator.Start();
        federation.ConnectAll();
        return federation.Orchestrator.Connect(site).Single(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksDecryption).Task.Clone();
    }
}
