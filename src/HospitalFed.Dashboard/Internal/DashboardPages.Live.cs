using System.Text;
using HospitalFed.Dashboard.Status;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>The live round view: the page shell and the fragment the server pushes over server-sent events.</summary>
internal sealed partial class DashboardPages
{
    public string Live() =>
        $"""
        <p class="note">This view updates itself as the round log grows{(context.HasLiveSource ? " and as the aggregator reports connections and phase changes" : "")} (server-sent events from <code>/live/events</code>); no reload needed.</p>
        <div id="live" aria-live="polite" data-source="/live/events">{LiveFragment(context.Status.Current, [])}</div>
        """;

    /// <summary>The live panel for <paramref name="snapshot"/> and the latest events (newest first).</summary>
    public static string LiveFragment(FederationSnapshot snapshot, IReadOnlyList<FederationEvent> recent)
    {
        if (snapshot.Rounds.Count == 0)
        {
            return "<p class=\"empty\">No plan is running yet.</p>";
        }

        var html = new StringBuilder();
        foreach (var r in snapshot.Rounds.Take(1))
        {
            html.Append($"""
                <section class="round" aria-label="Current round">
                <h2>Plan {Id(r.PlanId)}: round <span class="round-number">{r.Round}</span></h2>
                <dl class="facts">
                <dt>Plan</dt><dd class="plan-status">{E(r.PlanStatus)}</dd>
                <dt>Phase</dt><dd class="phase">{E(r.Phase)}</dd>
                <dt>Opened</dt><dd>{Time(r.OpenedAt)}</dd>
                <dt>Sites done</dt><dd class="done">{r.Done.Count} of {r.Invited.Count}</dd>
                <dt>Dropouts</dt><dd class="dropouts">{(r.Dropped.Count == 0 ? "none" : E(string.Join(", ", r.Dropped.Select(d => $"{d.Key} ({d.Value})"))))}</dd>
                </dl>
                <meter min="0" max="{Math.Max(1, r.Invited.Count)}" value="{r.Done.Count}" aria-label="uploads received">{r.Done.Count}/{r.Invited.Count}</meter>
                """);
            html.Append(Table("Per-phase times", ["Phase", "Took"], r.PhaseTimes.Select(p => (IReadOnlyList<string>)[E(p.Key), E(Duration(p.Value))]), "no phase finished yet"));
            var sites = snapshot.Sites.ToDictionary(s => s.Name, StringComparer.Ordinal);
            html.Append(Table("Sites", ["Site", "Upload", "Connection", "Version"], r.Invited.Select(s => (IReadOnlyList<string>)
            [
                E(s),
                r.Done.Contains(s) ? Badge("received", "ok") : r.Dropped.Any(d => d.Key == s) ? Badge("dropped", "bad") : Badge("waiting", "info"),
                sites.GetValueOrDefault(s)?.Connected is { } c ? (c ? Badge("connected", "ok") : Badge("disconnected", "bad")) : "<span class=\"muted\">not reported</span>",
                sites.GetValueOrDefault(s)?.Version is { } v ? E(v) : "<span class=\"muted\">not reported</span>",
            ])));
            html.Append("</section>");
        }

        html.Append(Table("Latest events", ["At", "Round", "By", "What"], recent.Select(e => (IReadOnlyList<string>)
            [Time(e.At), e.Round.ToString(System.Globalization.CultureInfo.InvariantCulture), E(e.Author), E(e.Description)]), "none since this page opened"));
        html.Append($"<p class=\"note\">Updated {Time(snapshot.At)}.</p>");
        return html.ToString();
    }
}
