using System.Text;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>The learning curves page: one chart per metric the round log's metrics entries carry (loss, AUC, ...).</summary>
internal sealed partial class DashboardPages
{
    public string Curves() => context.Feed.Read(plans =>
    {
        var html = new StringBuilder();
        foreach (var plan in plans)
        {
            var rounds = plan.Rounds.Where(r => r.Metrics.Count > 0).ToList();
            html.Append($"<section class=\"plan\"><h2>Plan {Id(plan.PlanId)}</h2>");
            if (rounds.Count == 0)
            {
                html.Append("<p class=\"empty\">No round has reported metrics yet.</p></section>");
                continue;
            }

            var all = rounds.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
            var names = all.Where(IsHeadline).OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal).ToList();
            html.Append("<div class=\"charts\">");
            foreach (var name in names)
            {
                html.Append(SvgChart.Line(name, [.. rounds.Where(r => r.Metrics.ContainsKey(name)).Select(r => (r.Number, r.Metrics[name]))]));
            }

            html.Append("</div><div class=\"scroll\">");
            html.Append(Table("Metrics per round (averaged over the sites' test rows)", ["Round", "Test rows", .. names], rounds.Select(r => (IReadOnlyList<string>)
                [r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), r.MetricSamples.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 .. names.Select(n => r.Metrics.TryGetValue(n, out var v) ? v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "—")])));
            html.Append("</div>");
            if (all.Count > names.Count)
            {
                html.Append($"<p class=\"note\">{all.Count - names.Count} per-bin values per round (e.g. calibration bins) are in the round log's metrics entries; they are not charted here.</p>");
            }

            html.Append("</section>");
        }

        return html.Length == 0 ? "<p class=\"empty\">No plan in the round log yet.</p>" : html.ToString();
    });

    /// <summary>Headline metrics get a chart; per-bin breakdowns (names with a space, e.g. "calibration 0.1-0.2 rows") stay in the log.</summary>
    private static bool IsHeadline(string metric) => !metric.Contains(' ', StringComparison.Ordinal);

    /// <summary>Loss and AUC first, as the learning curves people look for.</summary>
    private static int Rank(string metric) => metric switch
    {
        "loss" or "log_loss" => 0,
        "auc" => 1,
        "accuracy" or "balanced_accuracy" => 2,
        _ => 3,
    };
}
