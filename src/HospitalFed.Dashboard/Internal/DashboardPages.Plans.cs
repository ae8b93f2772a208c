using System.Text;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>The plans page: status, m-of-n approvals with who signed what, and the command to approve.</summary>
internal sealed partial class DashboardPages
{
    public string Plans()
    {
        var threshold = context.Consortium.ApprovalThreshold;
        var admins = context.Consortium.Admins.Count;
        return context.Feed.Read(plans =>
        {
            if (plans.Count == 0)
            {
                return $"<p class=\"empty\">No plan in the round log yet ({E(context.Feed.LogPath)}). A plan appears here once the aggregator starts it with its m-of-n approvals.</p>";
            }

            var html = new StringBuilder();
            foreach (var plan in plans)
            {
                var approvers = plan.Approvals.Where(a => a.Round == 0).Select(a => a.Admin).Distinct(StringComparer.Ordinal).Count();
                var p = plan.Plan;
                html.Append($"""
                    <section class="plan" aria-labelledby="plan-{E(plan.PlanId)}">
                    <h2 id="plan-{E(plan.PlanId)}">Plan {Id(plan.PlanId)} {Badge(plan.Status(threshold), plan.Status(threshold) == "completed" ? "ok" : "info")}</h2>
                    <dl class="facts">
                    <dt>Model</dt><dd>{E(p?.ModelKind ?? "unreadable plan")}</dd>
                    <dt>Rounds</dt><dd>{plan.CompletedRounds} of {E(p?.Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")} completed</dd>
                    <dt>Protection</dt><dd>{E(p?.Protection.ToString() ?? "?")}</dd>
                    <dt>Minimum sites</dt><dd>{E(p?.MinSites.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")}</dd>
                    <dt>Approvals</dt><dd class="approvals">{approvers} of {threshold} required ({admins} admins) {(approvers >= threshold ? Badge("approved", "ok") : Badge("short", "warn"))}</dd>
                    </dl>
                    """);
                html.Append(Table("Approvals", ["Admin", "Covers", "Signed at"], plan.Approvals.Select(a => (IReadOnlyList<string>)
                    [E(a.Admin), a.Round == 0 ? $"the plan {Id(plan.PlanId)}" : $"round {a.Round} of the plan", Time(a.Time)])));
                html.Append(Table("Site decisions", ["Site", "Decision", "Reasons", "At"], plan.Decisions.Select(d => (IReadOnlyList<string>)
                    [E(d.Key), d.Value.Accept ? Badge("accepted", "ok") : Badge("refused", "bad"), E(string.Join("; ", d.Value.Reasons)), Time(d.Value.Time)])));
                var round = p is { PerRoundApproval: true } && plan.CurrentRound is { } r ? $" --round {r.Number + 1}" : "";
                html.Append($"""
                    <h3>To approve</h3>
                    <p>An admin signs on their own machine with their own key, then hands the approval file to the aggregator operator:</p>
                    <pre><code>hfed plan approve plan.json --cert admin.cert.pem --key admin.key.pem{round} --out admin.approval</code></pre>
                    <p>where <code>plan.json</code> is the canonical plan whose id is <code>{E(plan.PlanId)}</code> (check with <code>hfed plan show plan.json</code>).</p>
                    </section>
                    """);
            }

            return html.ToString();
        });
    }
}
