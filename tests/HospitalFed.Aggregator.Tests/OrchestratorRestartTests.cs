using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// The aggregator dies at a phase boundary and a new orchestrator is rebuilt from the round log and
/// the aggregate archive alone. Round 1 is the feature-statistics round; rounds 2.. train.
/// </summary>
[TestFixture]
public sealed class OrchestratorRestartTests
{
    [TestCase(1, OrchestratorPhase.CollectingInputs)]
    [TestCase(2, OrchestratorPhase.AdvertisingKeys)]
    [TestCase(2, OrchestratorPhase.SharingKeys)]
    [TestCase(2, OrchestratorPhase.CollectingInputs)]
    [TestCase(2, OrchestratorPhase.CheckingConsistency)]
    [TestCase(2, OrchestratorPhase.Unmasking)]
    public void Restore_CrashAtAPhaseBoundary_AbortsThatRoundAndCompletesThePlanFromTheLastModel(long crashRound, OrchestratorPhase crashPhase)
    {
        // Arrange: run until the phase opens, then lose everything in memory.
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == crashRound && federation.Orchestrator.Phase == crashPhase;
        federation.ConnectAll();
        Assert.That((federation.Orchestrator.Round, federation.Orchestrator.Phase), Is.EqualTo((crashRound, crashPhase)), "the crash point was reached");
        var completedBefore = federation.Orchestrator.History.ToList();
        var modelBefore = completedBefore.Count > 0 ? completedBefore[^1].ModelDigest : federation.Job.Digest();

        // Act
        var restored = federation.Restart();
        federation.ConnectAll();

        // Assert: the interrupted round is aborted and logged; the rest of the plan runs under new numbers.
        Assert.That(restored, Is.EqualTo(new OrchestratorRestore(completedBefore.Count, crashRound, crashRound, modelBefore)));
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History.Select(r => r.Round), Is.EqualTo(Enumerable.Range(1, 4).Select(r => (long)r).Where(r => r != crashRound)));
        var entries = Entries(federation);
        var abort = entries.Single(e => e.Kind == LogEntryKind.RoundAborted);
        Assert.That((abort.Round, abort.Body["reason"]!.GetValue<string>()), Is.EqualTo((crashRound, Orchestrator.RestartAbortReason)));
        Assert.That(entries.Where(e => e.Round == crashRound).Select(e => e.Kind), Has.None.EqualTo(LogEntryKind.Aggregate).And.None.EqualTo(LogEntryKind.Model));
        Assert.That(entries.Single(e => e.Kind == LogEntryKind.RoundOpened && e.Round == crashRound + 1).Body["globalModel"]!.GetValue<string>(), Is.EqualTo(modelBefore), "the retry starts from the last completed model");
        Assert.That(entries.Last(e => e.Kind == LogEntryKind.Model).Body["digest"]!.GetValue<string>(), Is.EqualTo(federation.Job.Digest()));
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(federation.Job.Digest()));
        Assert.That(Verify(federation).Failure, Is.Null);
    }

    [Test]
    public void Restore_TwiceAfterCompletion_ReplaysToTheSameModelAndRunsNothing()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var final = federation.Job.Digest();
        var size = federation.Log.Size;

        // Act
        var restored = federation.Restart();

        // Assert
        Assert.That(restored, Is.EqualTo(new OrchestratorRestore(3, 3, null, final)));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed));
        Assert.That(federation.Job.Digest(), Is.EqualTo(final));
        Assert.That(federation.Log.Size, Is.EqualTo(size), "nothing logged");
        Assert.That(federation.Orchestrator.Connect("site-01"), Is.Empty, "no round opens");
    }

    [Test]
    public void Restore_BeforeTheFirstRound_AbortsNothingAndWaitsForSites()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        var size = federation.Log.Size;

        // Act
        var restored = federation.Restart();

        // Assert
        Assert.That(restored.AbortedRound, Is.Null);
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.WaitingForSites));
        Assert.That(federation.Log.Size, Is.EqualTo(size));
    }

    [Test]
    public void Restore_ArchivedAggregateWithOneBitFlipped_IsRefusedNamingTheRound()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 3;
        federation.ConnectAll();
        var file = Directory.GetFiles(federation.ArchiveDirectory, "*.aggregate").First(f => f.Contains(AggregateDigest(federation, 2), StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(file);
        bytes[3] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        var size = federation.Log.Size;

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert: refused, never repaired; nothing was appended.
        Assert.That(refusal!.Message, Does.Contain("round 2's aggregate").And.Contain("altered").And.Contain("Refusing to resume"));
        Assert.That(federation.Log.Size, Is.EqualTo(size));
    }

    [Test]
    public void Restore_ArchivedAggregateMissing_IsRefused()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2;
        federation.ConnectAll();
        File.Delete(Path.Combine(federation.ArchiveDirectory, AggregateDigest(federation, 1) + ".aggregate"));

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert
        Assert.That(refusal!.Message, Does.Contain("round 1's aggregate").And.Contain("missing"));
    }

    [Test]
    public void Site_UnmaskRequestOfTheAbortedRound_IsRefusedOnceTheNextRoundIsJoined()
    {
        // Arrange: the aggregator dies right after asking for round 2's unmask shares, before they went out.
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2 && federation.Orchestrator.Phase == OrchestratorPhase.Unmasking;
        federation.ConnectAll();
        var staleUnmask = federation.Lost.First(o => o.Task.TaskCase == SiteTask.TaskOneofCase.Unmask);
        var restored = federation.Restart();
        federation.StopWhen = () => federation.Orchestrator.Round == 3 && federation.Orchestrator.Phase == OrchestratorPhase.Unmasking;
        federation.ConnectAll();
        var agent = federation.Agents[staleUnmask.Recipient];

        // Act: a malicious or confused aggregator replays round 2's unmask request to a site now in round 3.
        var refusal = Assert.Catch(() => agent.Handle(staleUnmask.Task));

        // Assert
        Assert.That(restored.AbortedRound, Is.EqualTo(2));
        Assert.That(staleUnmask.Task.Unmask.Round, Is.EqualTo(2));
        Assert.That(refusal, Is.InstanceOf<SecAggException>());
        Assert.That(refusal!.Message, Does.Contain("round 2"));
    }

    private static string AggregateDigest(InProcessFederation federation, long round) =>
        Entries(federation).Single(e => e.Kind == LogEntryKind.Aggregate && e.Round == round).Body["digest"]!.GetValue<string>();

    private static AuditResult Verify(InProcessFederation federation) =>
        new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify([.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => LogLine.Encode(federation.Log.Entry(i), i))]);

    private static List<LogEntry> Entries(InProcessFederation federation) =>
        [.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i))];
}
