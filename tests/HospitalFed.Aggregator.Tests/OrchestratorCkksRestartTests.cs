using System.Text;
using Google.Protobuf;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.CkksPlans;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// A CKKS plan's aggregator dies mid-round and a new orchestrator is rebuilt from the round log, the
/// aggregate archive and the set-up record: the sites keep their key shares and refuse a second
/// set-up, so the plan must continue under the same collective key. Round 1 is the statistics round.
/// </summary>
[TestFixture]
public sealed class OrchestratorCkksRestartTests
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("hfed/ckks-setup/v1\n");

    [TestCase(OrchestratorPhase.CollectingInputs)]
    [TestCase(OrchestratorPhase.Decrypting)]
    public void Restore_CkksCrashInRound2_AbortsItAndCompletesThePlanUnderTheSameKeyHolders(OrchestratorPhase crashPhase)
    {
        // Arrange
        using var federation = CrashedAt(2, crashPhase);
        var modelBefore = federation.Orchestrator.History[^1].ModelDigest;
        var threshold = federation.Invitations[^1].Threshold;

        // Act
        var restored = federation.Restart();
        federation.ConnectAll();

        // Assert: no second set-up went out; the next rounds use the restored key holders and threshold.
        Assert.That(restored, Is.EqualTo(new OrchestratorRestore(1, 2, 2, modelBefore)));
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History.Select(r => r.Round), Is.EqualTo(new long[] { 1, 3, 4 }), "round 1 replayed from the archive, 2 aborted");
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        Assert.That(federation.Delivered.Count(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksSetup), Is.EqualTo(4), "one set-up per site, before the crash only");
        Assert.That(federation.Invitations.Where(i => i.Round > 2).Select(i => i.Threshold), Is.All.EqualTo(threshold));
        var entries = Entries(federation);
        Assert.That(entries.Single(e => e.Kind == LogEntryKind.RoundAborted).Round, Is.EqualTo(2));
        Assert.That(entries.Single(e => e.Kind == LogEntryKind.RoundOpened && e.Round == 3).Body["globalModel"]!.GetValue<string>(), Is.EqualTo(modelBefore));
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(federation.Job.Digest()));
        Assert.That(Verify(federation).Failure, Is.Null);
    }

    [Test]
    public void Site_CkksDecryptionRequestOfTheAbortedRound_IsRefusedInTheNextRound()
    {
        // Arrange: the aggregator dies right after asking for round 2's decryption shares, before they went out.
        using var federation = CrashedAt(2, OrchestratorPhase.Decrypting);
        var stale = federation.Lost.First(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksDecryption);
        federation.Restart();
        federation.StopWhen = () => federation.Orchestrator.Round == 3 && federation.Orchestrator.Phase == OrchestratorPhase.Decrypting;
        federation.ConnectAll();
        var agent = federation.Agents[stale.Recipient];

        // Act: a confused or malicious aggregator replays round 2's request to a site now in round 3.
        var refusal = Assert.Catch(() => agent.Handle(stale.Task));

        // Assert
        Assert.That(stale.Task.CkksDecryption.Request.Round, Is.EqualTo(2));
        Assert.That(refusal, Is.InstanceOf<InvalidOperationException>());
        Assert.That(refusal!.Message, Does.Contain("round 2").And.Contain("round 3"));
    }

    [Test]
    public void Restore_CkksSetupRecordMissing_IsRefusedNamingTheFile()
    {
        // Arrange
        using var federation = CrashedAt(2, OrchestratorPhase.CollectingInputs);
        var file = federation.SetupArchive.Locate(federation.Plan.Id);
        File.Delete(file);
        var size = federation.Log.Size;

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert
        Assert.That(refusal!.Message, Does.Contain(file).And.Contain("missing").And.Contain("Refusing to resume"));
        Assert.That(federation.Log.Size, Is.EqualTo(size), "nothing appended");
    }

    [Test]
    public void Restore_CkksSetupRecordWithOneBitFlipped_IsRefusedNamingTheFile()
    {
        // Arrange
        using var federation = CrashedAt(2, OrchestratorPhase.CollectingInputs);
        var file = federation.SetupArchive.Locate(federation.Plan.Id);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert
        Assert.That(refusal!.Message, Does.Contain(file).And.Contain("altered"));
    }

    [Test]
    public void Restore_CkksConfirmationSignatureAlteredAndChecksumRecomputed_IsRefused()
    {
        // Arrange: whoever can write the file can also fix its checksum; the sites' signatures still fail.
        using var federation = CrashedAt(2, OrchestratorPhase.CollectingInputs);
        var (keys, confirmations) = Decode(federation.SetupArchive.Read(federation.Plan.Id)!);
        var signature = confirmations[1].Signature.ToByteArray();
        signature[^1] ^= 0x01;
        confirmations[1].Signature = ByteString.CopyFrom(signature);
        federation.SetupArchive.Keep(federation.Plan.Id, Encode(keys, confirmations));

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert
        Assert.That(refusal!.Message, Does.Contain(federation.SetupArchive.Locate(federation.Plan.Id)).And.Contain($"confirmation of '{confirmations[1].Sender}' is refused"));
    }

    [Test]
    public void Restore_CkksKeyHolderRemovedFromTheRecord_IsRefusedAsAnotherCollectiveKey()
    {
        // Arrange: drop site-04, with a consistent threshold for three key holders; every remaining
        // signature is genuine, but the three shares sum to a key nobody confirmed.
        using var federation = CrashedAt(2, OrchestratorPhase.CollectingInputs);
        var (keys, confirmations) = Decode(federation.SetupArchive.Read(federation.Plan.Id)!);
        keys.Keys.RemoveAt(keys.Keys.Count - 1);
        keys.Threshold = CkksPlanSetup.Threshold(keys.Keys.Count, federation.Plan.MinSites);
        confirmations.RemoveAll(c => c.Sender == "site-04");
        federation.SetupArchive.Keep(federation.Plan.Id, Encode(keys, confirmations));

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Restart());

        // Assert
        Assert.That(refusal!.Message, Does.Contain("confirmed a collective key other than the one its key holders' shares give"));
    }

    [Test]
    public void Restore_CkksCrashAfterTheSetUpBeforeRound1_ContinuesWithoutASecondSetUp()
    {
        // Arrange: the record is kept when the set-up closes, before round 1 is logged.
        using var federation = new InProcessFederation(rounds: 2, protection: "ckks", sitesDecideOnline: true);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 1;
        federation.ConnectAll();
        Assert.That(federation.SetupArchive.Read(federation.Plan.Id), Is.Not.Null);

        // Act
        var restored = federation.Restart();
        federation.ConnectAll();

        // Assert
        Assert.That(restored.AbortedRound, Is.EqualTo(1));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Delivered.Count(o => o.Task.TaskCase == SiteTask.TaskOneofCase.CkksSetup), Is.EqualTo(4));
        Assert.That(Verify(federation).Failure, Is.Null);
    }

    /// <summary>A three-round CKKS plan run until <paramref name="round"/> reaches <paramref name="phase"/>, then the aggregator's memory is lost.</summary>
    private static InProcessFederation CrashedAt(long round, OrchestratorPhase phase)
    {
        var federation = new InProcessFederation(rounds: 3, protection: "ckks", sitesDecideOnline: true);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == round && federation.Orchestrator.Phase == phase;
        federation.ConnectAll();
        Assert.That((federation.Orchestrator.Round, federation.Orchestrator.Phase), Is.EqualTo((round, phase)), "the crash point was reached");
        return federation;
    }

    private static (CkksKeyAdvertisements Keys, List<CkksKeyConfirmation> Confirmations) Decode(byte[] record)
    {
        using var stream = new MemoryStream(record[Magic.Length..]);
        var keys = CkksKeyAdvertisements.Parser.ParseDelimitedFrom(stream);
        var confirmations = new List<CkksKeyConfirmation>();
        while (stream.Position < stream.Length)
        {
            confirmations.Add(CkksKeyConfirmation.Parser.ParseDelimitedFrom(stream));
        }

        return (keys, confirmations);
    }

    private static byte[] Encode(CkksKeyAdvertisements keys, List<CkksKeyConfirmation> confirmations)
    {
        using var stream = new MemoryStream();
        stream.Write(Magic);
        keys.WriteDelimitedTo(stream);
        confirmations.ForEach(c => c.WriteDelimitedTo(stream));
        return stream.ToArray();
    }

    private static AuditResult Verify(InProcessFederation federation) =>
        new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify([.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => LogLine.Encode(federation.Log.Entry(i), i))]);

    private static List<LogEntry> Entries(InProcessFederation federation) =>
        [.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i))];
}
