using System.Diagnostics;
using System.Text;
using HospitalFed.Ledger.Audit;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// The audit page: log size, latest signed head, countersignatures per site, privacy budget, and
/// the verdict of <see cref="LogVerifier"/> recomputed on demand over the stored lines, trusting
/// only the consortium root and CRL, exactly as <c>hfed audit verify</c> does offline.
/// </summary>
internal sealed partial class DashboardPages
{
    // One verification at a time: each is a full pass over the log, and the button is open to every party.
    private readonly Lock _verifying = new();

    public string Audit(string? verifyPlan)
    {
        // Verified outside the feed's lock: a long log must not hold up the live view's tail.
        string? verdict = null;
        if (!string.IsNullOrEmpty(verifyPlan))
        {
            lock (_verifying)
            {
                verdict = Verdict(verifyPlan);
            }
        }

        return context.Feed.Read(plans => AuditBody(plans, verifyPlan, verdict));
    }

    private string AuditBody(IReadOnlyList<PlanView> plans, string? verifyPlan, string? verdict)
    {
        if (plans.Count == 0)
        {
            return "<p class=\"empty\">No plan in the round log yet.</p>";
        }

        var html = new StringBuilder();
        foreach (var plan in plans)
        {
            var head = plan.LatestHead;
            var budget = plan.PrivacyBudget();
            var dp = plan.Plan?.Document["privacy"] is { } privacy ? privacy.ToJsonString() : null;
            html.Append($"""
                <section class="plan" aria-labelledby="audit-{E(plan.PlanId)}">
                <h2 id="audit-{E(plan.PlanId)}">Plan {Id(plan.PlanId)}</h2>
                <dl class="facts">
                <dt>Log size</dt><dd class="log-size">{plan.Size} entries</dd>
                <dt>Latest signed head</dt><dd>{(head is { } h ? $"size {h.Size}, root {Id(h.Root)}, signed {Time(h.Time)}" : "none yet")}</dd>
                <dt>Signed heads</dt><dd>{plan.TreeHeads}</dd>
                <dt>Privacy budget</dt><dd>{(budget is { } b ? $"ε = {b.Cumulative:0.###} spent (δ = {b.Delta:G3}) after round {b.Round}" : dp is null ? "the plan has no differential privacy" : "no privacy spend recorded yet")}</dd>
                </dl>
                """);
            html.Append(Table("Countersignatures per site", ["Site", "Heads countersigned", "Last size", "Last at"], plan.Countersignatures.Select(c => (IReadOnlyList<string>)
                [E(c.Key), c.Value.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Value.LastSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Time(c.Value.Time)])));
            html.Append(string.Equals(verifyPlan, plan.PlanId, StringComparison.Ordinal) && verdict is not null
                ? verdict
                : $"<p><a class=\"button\" href=\"/audit?verify={E(plan.PlanId)}#verdict-{E(plan.PlanId)}\">Verify the whole log now</a></p>");
            html.Append("</section>");
        }

        return html.ToString();
    }

    private string Verdict(string planId)
    {
        var started = Stopwatch.GetTimestamp();
        var lines = context.Feed.AllLines(planId);
        var result = new LogVerifier(context.Root, context.Trust.Crl).Verify(lines);
        var took = Stopwatch.GetElapsedTime(started);
        var s = result.Summary;
        var body = result.Ok
            ? $"{Badge("verified", "ok")} {lines.Count} entries, {s.Rounds.Count} rounds, {s.TreeHeads} signed heads and {s.Countersignatures} countersignatures check against the consortium root; Merkle root {Id(s.Root)}."
            : $"{Badge("FAILED", "bad")} {E(result.Failure!.ToString())}";
        return $"<div class=\"verdict\" id=\"verdict-{E(planId)}\" role=\"status\"><p>{body}</p><p class=\"note\">Recomputed at {Time(context.Time.GetUtcNow())} in {E(Duration(took))}. Offline: <code>hfed audit verify</code>.</p></div>";
    }
}
