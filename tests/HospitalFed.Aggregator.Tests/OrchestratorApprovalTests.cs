using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// The orchestrator keeps the plan's approval lines as it reads the log (each entry once, from where
/// the last offer or invitation stopped); every offer and invitation must still carry exactly what a
/// full rescan of the log finds, also for an approval logged after the plan was first offered and
/// for one logged while the aggregator was down. Approvals of a plan approved once may be logged
/// until its first round opens, so that is when the third admin's approval arrives here.
/// </summary>
[TestFixture]
public sealed class OrchestratorApprovalTests
{
    [Test]
    public void Offer_ApprovalLoggedAfterTheFirstOffer_LaterOffersAndInvitationsCarryWhatARescanFinds()
    {
        // Arrange: 3 admins, 2 approve up front; the third approves once the first site was offered the plan.
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true, admins: 3);
        federation.Orchestrator.Start();
        var before = Rescan(federation);
        var sites = federation.Agents.Keys.Order(StringComparer.Ordinal).ToList();
        var queue = new Queue<Outgoing>(federation.Orchestrator.Connect(sites[0]));
        ThirdAdminApproves(federation);

        // Act
        foreach (var site in sites.Skip(1))
        {
            foreach (var task in federation.Orchestrator.Connect(site))
            {
                queue.Enqueue(task);
            }
        }

        federation.Pump(queue);

        // Assert
        var after = Rescan(federation);
        var offers = federation.Delivered.Where(o => o.Task.TaskCase == SiteTask.TaskOneofCase.PlanOffer).Select(o => Lines(o.Task.PlanOffer.Approvals)).ToList();
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(after, Has.Count.EqualTo(before.Count + 1));
        Assert.That(offers, Has.Count.EqualTo(4));
        Assert.That(offers[0], Is.EqualTo(before));
        Assert.That(offers.Skip(1), Is.All.EqualTo(after));
        Assert.That(federation.Invitations.Select(i => Lines(i.Approvals)), Is.Not.Empty.And.All.EqualTo(after));
    }

    [Test]
    public void Invitation_ApprovalLoggedWhileTheAggregatorWasDown_CarriedAfterRestart()
    {
        // Arrange: the plan is offered (its approvals read), the aggregator stops, an approval is logged.
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true, admins: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Delivered.Any(o => o.Task.TaskCase == SiteTask.TaskOneofCase.PlanOffer);
        federation.ConnectAll();
        Assert.That(federation.Invitations, Is.Empty, "stopped before the first round");
        ThirdAdminApproves(federation);

        // Act
        federation.Restart();
        federation.ConnectAll();

        // Assert
        var after = Rescan(federation);
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(after, Has.Count.EqualTo(3));
        Assert.That(federation.Invitations.Select(i => Lines(i.Approvals)), Is.Not.Empty.And.All.EqualTo(after));
    }

    private static void ThirdAdminApproves(InProcessFederation federation) =>
        federation.Log.Append(LogEntry.Sign(federation.Consortium.Admins[2], federation.Plan.Id, LogEntries.Approval(), federation.Consortium.Time.GetUtcNow()));

    // What the orchestrator sent before it indexed approvals: every approval of the plan in the log, re-encoded.
    private static List<byte[]> Rescan(InProcessFederation federation) =>
        [.. federation.LogLines
            .Select(line => LogLine.Decode(line.AsMemory(), out _))
            .Where(e => e.Kind == LogEntryKind.Approval && e.PlanId == federation.Plan.Id)
            .Select(e => LogLine.Encode(e, null))];

    private static List<byte[]> Lines(IEnumerable<Google.Protobuf.ByteString> approvals) => [.. approvals.Select(a => a.ToByteArray())];
}
