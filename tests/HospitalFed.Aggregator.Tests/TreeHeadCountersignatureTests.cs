using System.Text;
using Google.Protobuf;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// Real site agents verify and countersign the aggregator's tree heads during the run: every round
/// result carries the head and a per-site consistency proof, and the plan completes only after the
/// final head is countersigned (or the deadline passes).
/// </summary>
[TestFixture]
public sealed class TreeHeadCountersignatureTests
{
    [Test]
    public void Plan_SitesAnswerEveryRoundResult_EveryHeadCountersignedByEverySite()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        var entries = Entries(federation);
        var heads = entries.Where(e => e.Kind == LogEntryKind.TreeHead).Select(e => TreeHead.From(e).Size).ToList();
        Assert.That(heads, Is.Not.Empty);
        foreach (var site in federation.Agents.Keys)
        {
            var signed = entries.Where(e => e.Kind == LogEntryKind.Countersignature && e.Author == site).Select(e => TreeHead.From(e).Size);
            Assert.That(signed, Is.EqualTo(heads), site);
            Assert.That(federation.Agents[site].State!.Heads, Has.Count.EqualTo(heads.Count), site);
        }

        Assert.That(orchestrator.Countersignatures, Is.EqualTo(4 * heads.Count));
        Assert.That(orchestrator.LastCountersigned.Values, Is.All.EqualTo(heads[^1]));
        var verdict = Verify(federation, federation.LogLines, HeldHeads(federation));
        Assert.That(verdict.Failure, Is.Null);
        Assert.That(verdict.Summary.Countersignatures, Is.EqualTo(4 * heads.Count));
        Assert.That(verdict.Summary.LastHeadWitnesses, Has.Count.EqualTo(4));
        Assert.That(verdict.Summary.HeldHeadsChecked, Is.EqualTo(4 * heads.Count));
    }

    [Test]
    public void Verify_LastRoundCutOffTheLog_SitesHeldHeadsNameTruncation()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var entries = Entries(federation);
        var lastRoundOpened = entries.FindLastIndex(e => e.Kind == LogEntryKind.RoundOpened);
        var cut = federation.LogLines.Take(lastRoundOpened).ToList();

        // Act
        var withoutHeads = Verify(federation, cut, []);
        var withHeads = Verify(federation, cut, HeldHeads(federation));

        // Assert
        Assert.That(withoutHeads.Failure, Is.Null, "without the sites' heads the cut log looks complete up to its last head");
        Assert.That(withHeads.Failure?.What, Is.EqualTo("truncation"));
    }

    [Test]
    public void Plan_SiteSilentAfterFinalResult_CompletesAtTheDeadlineWithoutItsCountersignature()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        var silent = federation.Agents.Keys.Order(StringComparer.Ordinal).First();
        federation.CrashAt[silent] = SiteTask.TaskOneofCase.Result;

        // Act
        federation.ConnectAll();
        for (var i = 0; i < 20 && federation.Orchestrator.Phase is not (OrchestratorPhase.Countersigning or OrchestratorPhase.Completed or OrchestratorPhase.Failed); i++)
        {
            federation.ExpireDeadline(); // the silent site drops out of the later rounds
        }

        var before = federation.Orchestrator.Phase;
        federation.ExpireDeadline();

        // Assert
        Assert.That(before, Is.EqualTo(OrchestratorPhase.Countersigning), "the plan waits for the final head's countersignatures");
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Orchestrator.LastCountersigned.Keys, Has.No.Member(silent).And.Count.EqualTo(3));
        Assert.That(Verify(federation, federation.LogLines, HeldHeads(federation)).Failure, Is.Null);
    }

    [Test]
    public void Receive_CountersignatureOfAnotherSite_IsRefusedAndNotLogged()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var sites = federation.Agents.Keys.Order(StringComparer.Ordinal).ToArray();
        var theirs = federation.Agents[sites[1]].State!.Heads[^1];
        var size = federation.Log.Size;

        // Act
        var error = Assert.Throws<OrchestratorException>(() => federation.Orchestrator.Receive(sites[0], new SiteMessage { Countersignature = ByteString.CopyFromUtf8(theirs) }));

        // Assert
        Assert.That(error!.Message, Does.Contain($"by '{sites[1]}'").And.Contain("its own countersignature"));
        Assert.That(federation.Log.Size, Is.EqualTo(size));
    }

    [Test]
    public void Restore_AfterCountersignedRounds_SitesKeepCountersigningFromTheirLastHead()
    {
        // Arrange: the aggregator dies in round 2, after round 1's head was countersigned.
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2 && federation.Orchestrator.Phase == OrchestratorPhase.SharingKeys;
        federation.ConnectAll();
        var before = federation.Orchestrator.LastCountersigned.ToDictionary();

        // Act
        federation.Restart();
        var rebuilt = federation.Orchestrator.LastCountersigned.ToDictionary();
        federation.ConnectAll();

        // Assert
        Assert.That(before, Has.Count.EqualTo(4));
        Assert.That(rebuilt, Is.EqualTo(before), "rebuilt from the log");
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Agents.Values.Select(a => a.HeadRefusal), Is.All.Null);
        Assert.That(Verify(federation, federation.LogLines, HeldHeads(federation)).Failure, Is.Null);
    }

    [TestCase(5, "fork or rewrite detected: tree head of size")]
    [TestCase(0, "fork detected: the aggregator signed a second head of size")]
    public void Handle_HeadInconsistentWithTheLastCountersigned_SiteRefusesAndLeavesThePlan(int grow, string why)
    {
        // Arrange: a completed plan, then a head re-signed with the aggregator's own key over another history.
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var agent = federation.Agents.Values.First();
        var last = TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(agent.State!.Heads[^1]), out _));
        var forged = LogEntry.Sign(federation.Consortium.Aggregator, federation.Plan.Id, LogEntries.TreeHead(last.Size + grow, Enumerable.Repeat((byte)0x5a, 32).ToArray()), federation.Consortium.Time.GetUtcNow());
        var result = new RoundResult { PlanId = federation.Plan.Id, Round = 99, ModelDigest = agent.ModelDigest, TreeHead = ByteString.CopyFrom(LogLine.Encode(forged, null)), ConsistencyFromSize = last.Size };
        result.ConsistencyProof.Add(ByteString.CopyFrom(new byte[32]));
        var heads = agent.State.Heads.Count;

        // Act
        var reply = agent.Handle(new SiteTask { Result = result });

        // Assert
        Assert.That(reply.Messages, Is.Empty, "no countersignature for a forked head");
        Assert.That(agent.HeadRefusal, Does.Contain(why).And.Contain($"plan {federation.Plan.Id}"));
        Assert.That(agent.PlanEnded, Is.True);
        Assert.That(agent.State!.Heads, Has.Count.EqualTo(heads));
        Assert.That(agent.LastCompletedRound, Is.Not.EqualTo(99), "the result of a forked log is not accepted either");
    }

    [Test]
    public void Handle_ProofFromAnEarlierHeadOfThisSite_CountersignsTheNewHead()
    {
        // Arrange: the site's last countersignature has not reached the log (lost in a crash),
        // so the aggregator proves the next head from the head before it.
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var agent = federation.Agents.Values.First();
        Assert.That(agent.State!.Heads, Has.Count.GreaterThanOrEqualTo(2));
        var earlier = TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(agent.State.Heads[^2]), out _));
        var head = federation.Log.SignTreeHead(federation.Consortium.Aggregator);
        var size = TreeHead.From(head).Size;
        var result = new RoundResult { PlanId = federation.Plan.Id, Round = 99, ModelDigest = agent.ModelDigest, TreeHead = ByteString.CopyFrom(LogLine.Encode(head, null)), ConsistencyFromSize = earlier.Size };
        result.ConsistencyProof.AddRange(federation.Log.ConsistencyProof(earlier.Size, size).Select(ByteString.CopyFrom));

        // Act
        var reply = agent.Handle(new SiteTask { Result = result });

        // Assert
        Assert.That(agent.HeadRefusal, Is.Null);
        Assert.That(reply.Messages.Single().Countersignature.IsEmpty, Is.False);
        Assert.That(TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(agent.State!.Heads[^1]), out _)).Size, Is.EqualTo(size));
    }

    [Test]
    public void Handle_HeadSmallerThanTheLastCountersigned_SiteRefusesItAsTruncation()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var agent = federation.Agents.Values.First();
        var first = TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(agent.State!.Heads[0]), out _));
        var last = TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(agent.State.Heads[^1]), out _));
        var smaller = LogEntry.Sign(federation.Consortium.Aggregator, federation.Plan.Id, LogEntries.TreeHead(last.Size - 1, federation.Log.Root(last.Size - 1)), federation.Consortium.Time.GetUtcNow());
        var result = new RoundResult { PlanId = federation.Plan.Id, Round = 99, ModelDigest = agent.ModelDigest, TreeHead = ByteString.CopyFrom(LogLine.Encode(smaller, null)), ConsistencyFromSize = first.Size };
        result.ConsistencyProof.AddRange(federation.Log.ConsistencyProof(first.Size, last.Size - 1).Select(ByteString.CopyFrom));

        // Act
        var reply = agent.Handle(new SiteTask { Result = result });

        // Assert
        Assert.That(reply.Messages, Is.Empty);
        Assert.That(agent.HeadRefusal, Does.Contain("truncation detected"));
    }

    [Test]
    public void Handle_HeadSignedByASite_SiteRefusesIt()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        var agent = federation.Agents.Values.First();
        var impostor = federation.Consortium.Sites[^1];
        var head = LogEntry.Sign(impostor, federation.Plan.Id, LogEntries.TreeHead(10, new byte[32]), federation.Consortium.Time.GetUtcNow());
        var result = new RoundResult { PlanId = federation.Plan.Id, Round = 1, TreeHead = ByteString.CopyFrom(LogLine.Encode(head, null)) };

        // Act
        var reply = agent.Handle(new SiteTask { Result = result });

        // Assert
        Assert.That(reply.Messages, Is.Empty);
        Assert.That(agent.HeadRefusal, Does.Contain("is not signed by a valid aggregator"));
    }

    [Test]
    public void Handle_SameResultAfterAReconnect_SendsTheSameCountersignatureAgain()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var site = federation.Agents.Keys.First();
        var lastResult = federation.Delivered.Last(o => o.Recipient == site && o.Task.TaskCase == SiteTask.TaskOneofCase.Result).Task;
        var restarted = new HospitalFed.Site.Rounds.SiteAgent(federation.AgentContexts[site], federation.Consortium.Time, state: federation.Agents[site].State);
        var size = federation.Log.Size;

        // Act
        var reply = restarted.Handle(lastResult);
        var outgoing = federation.Orchestrator.Receive(site, reply.Messages.Single());

        // Assert
        Assert.That(reply.Messages.Single().Countersignature.ToStringUtf8(), Is.EqualTo(federation.Agents[site].State!.Heads[^1]));
        Assert.That(outgoing, Is.Empty);
        Assert.That(federation.Log.Size, Is.EqualTo(size), "already logged: accepted, not appended twice");
    }

    [Test]
    public void LastCountersignature_SentAgainOnReconnect_IsANoOpWhenAlreadyLogged()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        var late = federation.Agents.Keys.Order(StringComparer.Ordinal).Last();
        federation.ConnectAll();
        var finalResult = federation.Delivered.Last(o => o.Recipient == late && o.Task.TaskCase == SiteTask.TaskOneofCase.Result).Task;
        var agent = federation.Agents[late];
        var countersigned = agent.State!.Heads.Count;

        // Act: the site restarts from its state and, reconnecting, sends its last countersignature again.
        var restarted = new HospitalFed.Site.Rounds.SiteAgent(federation.AgentContexts[late], federation.Consortium.Time, state: agent.State);
        var resend = restarted.LastCountersignature;
        var size = federation.Log.Size;
        federation.Orchestrator.Receive(late, resend!);

        // Assert: already logged, so nothing is appended; the due result gets the same countersignature.
        Assert.That(finalResult.Result.PlanCompleted, Is.True);
        Assert.That(resend!.Countersignature.ToStringUtf8(), Is.EqualTo(agent.State.Heads[^1]));
        Assert.That(federation.Log.Size, Is.EqualTo(size));
        Assert.That(restarted.Handle(finalResult).Messages.Single(), Is.EqualTo(resend));
        Assert.That(restarted.State!.Heads, Has.Count.EqualTo(countersigned));
    }

    [Test]
    public void Receive_FinalCountersignatureAfterTheDeadline_IsStillLogged()
    {
        // Arrange: one site is silent from round 1's result on; the plan completes at the deadline.
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        var late = federation.Agents.Keys.Order(StringComparer.Ordinal).Last();
        federation.CrashAt[late] = SiteTask.TaskOneofCase.Result;
        federation.ConnectAll();
        for (var i = 0; i < 20 && federation.Orchestrator.Phase != OrchestratorPhase.Completed; i++)
        {
            federation.ExpireDeadline();
        }

        var finalResult = federation.Delivered.Last(o => o.Recipient == late && o.Task.TaskCase == SiteTask.TaskOneofCase.Result).Task;
        var size = federation.Log.Size;

        // Act: the site comes back and answers the final result after completion.
        var reply = federation.Agents[late].Handle(finalResult);
        federation.Orchestrator.Receive(late, reply.Messages.Single());

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed));
        Assert.That(federation.Log.Size, Is.EqualTo(size + 1));
        Assert.That((federation.Log.Entry(size).Kind, federation.Log.Entry(size).Author), Is.EqualTo((LogEntryKind.Countersignature, late)));
        Assert.That(Verify(federation, federation.LogLines, HeldHeads(federation)).Failure, Is.Null);
    }

    private static List<LogEntry> Entries(InProcessFederation federation) =>
        [.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i))];

    private static List<LogEntry> HeldHeads(InProcessFederation federation) =>
        [.. federation.Agents.Values.SelectMany(a => a.State?.Heads ?? []).Select(l => LogLine.Decode(Encoding.UTF8.GetBytes(l), out _))];

    private static AuditResult Verify(InProcessFederation federation, IReadOnlyList<byte[]> lines, IEnumerable<LogEntry> held) =>
        new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify(lines, held);
}
