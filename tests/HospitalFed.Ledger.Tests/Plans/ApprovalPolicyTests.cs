using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

public sealed class ApprovalPolicyTests
{
    [Test]
    public void Evaluate_TwoDistinctAdmins_Approves()
    {
        using var sim = ConsortiumSimulation.Create(sites: 2);
        var plan = ConsortiumSimulation.Plan();
        var approvals = sim.Admins.Take(2).Select(a => LogEntry.Sign(a, plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow())).ToList();

        var outcome = new ApprovalPolicy(sim.Config, sim.Root, sim.Revocation).Evaluate(plan.Id, 0, approvals, sim.Time.GetUtcNow());

        Assert.That(outcome.Approved, Is.True);
        Assert.That(outcome.Approvers, Is.EqualTo(new[] { "admin-1", "admin-2" }));
    }

    [Test]
    public void Evaluate_SameAdminTwice_CountsOnce()
    {
        using var sim = ConsortiumSimulation.Create(sites: 2);
        var plan = ConsortiumSimulation.Plan();
        var approval = LogEntry.Sign(sim.Admins[0], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());
        var again = LogEntry.Sign(sim.Admins[0], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());

        var outcome = new ApprovalPolicy(sim.Config, sim.Root, sim.Revocation).Evaluate(plan.Id, 0, [approval, again], sim.Time.GetUtcNow());

        Assert.That(outcome.Approved, Is.False);
        Assert.That(outcome.Refused.Single(), Does.Contain("more than once"));
    }

    [Test]
    public void Evaluate_AdminRevokedBeforeUse_StopsCounting()
    {
        using var sim = ConsortiumSimulation.Create(sites: 2);
        var plan = ConsortiumSimulation.Plan();
        var approvals = sim.Admins.Take(2).Select(a => LogEntry.Sign(a, plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow())).ToList();
        sim.Revoke(sim.Admins[1]);

        var outcome = new ApprovalPolicy(sim.Config, sim.Root, sim.Revocation).Evaluate(plan.Id, 0, approvals, sim.Time.GetUtcNow());

        Assert.That(outcome.Approved, Is.False);
        Assert.That(outcome.Refused.Single(), Does.Contain("revoked"));
    }

    [Test]
    public void Evaluate_ApprovalOfAnotherPlanOrBySite_DoesNotCount()
    {
        using var sim = ConsortiumSimulation.Create(sites: 2);
        var plan = ConsortiumSimulation.Plan();
        var other = ConsortiumSimulation.Plan(rounds: 9);
        var replayed = LogEntry.Sign(sim.Admins[0], other.Id, LogEntries.Approval(), sim.Time.GetUtcNow());
        var bySite = LogEntry.Sign(sim.Sites[0], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());
        var good = LogEntry.Sign(sim.Admins[1], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());

        var outcome = new ApprovalPolicy(sim.Config, sim.Root, sim.Revocation).Evaluate(plan.Id, 0, [replayed, bySite, good], sim.Time.GetUtcNow());

        Assert.That(outcome.Approved, Is.False);
        Assert.That(outcome.Approvers, Is.EqualTo(new[] { "admin-2" }));
        Assert.That(outcome.Refused, Has.Count.EqualTo(2));
    }

    [Test]
    public void Evaluate_AdminOutsideConfiguredSet_DoesNotCount()
    {
        using var sim = ConsortiumSimulation.Create(sites: 2);
        using var rogue = sim.Issue("admin-9", ConsortiumRole.Admin);
        var plan = ConsortiumSimulation.Plan();
        var approvals = new[] { sim.Admins[0], rogue }.Select(a => LogEntry.Sign(a, plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow())).ToList();

        var outcome = new ApprovalPolicy(sim.Config, sim.Root, sim.Revocation).Evaluate(plan.Id, 0, approvals, sim.Time.GetUtcNow());

        Assert.That(outcome.Approved, Is.False);
        Assert.That(outcome.Refused.Single(), Does.Contain("not one of the consortium's admins"));
    }
}
