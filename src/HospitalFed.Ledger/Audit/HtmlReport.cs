using System.Globalization;
using System.Net;
using System.Text;
using HospitalFed.Learning.Metrics;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Audit;

/// <summary>
/// Renders an audit as one self-contained HTML page (no scripts, no external resources): the
/// verdict, the governance facts, a per-round table, per-round metric and privacy charts drawn
/// as inline SVG, and the timeline of every entry. All text from the log is HTML-encoded.
/// </summary>
public static class HtmlReport
{
    private const string AucBoundKey = "auc_error_bound";

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"];

    /// <summary>Renders <paramref name="result"/> for the log named <paramref name="logName"/>.</summary>
    public static string Render(AuditResult result, string logName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Summary;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>HospitalFed audit: ")
            .Append(E(logName)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}th{background:#f3f3f3}")
            .Append(".ok{color:#1a7f37}.fail{color:#b42318}.mono{font-family:ui-monospace,monospace;font-size:12px}svg{background:#fafafa;border:1px solid #ddd;margin:0 1em 1em 0}")
            .Append("</style></head><body>");
        html.Append("<h1>Round log audit</h1><p class=\"mono\">").Append(E(logName)).Append("</p>");
        html.Append(result.Ok
            ? "<h2 class=\"ok\">Verified: every signature, certificate, tree head and governance rule checked out</h2>"
            : $"<h2 class=\"fail\">FAILED at entry {result.Failure!.Index}: {E(result.Failure.What)}</h2><p>{E(result.Failure.Why)}</p>");

        html.Append("<table>");
        Row(html, "Consortium", s.Consortium ?? "?");
        Row(html, "Plan", s.PlanId ?? "?");
        Row(html, "Entries", s.Entries.ToString(CultureInfo.InvariantCulture));
        Row(html, "Approval rule", $"{s.ApprovalThreshold} of {s.Admins.Count} admins ({string.Join(", ", s.Admins)})");
        Row(html, "Plan approved by", string.Join(", ", s.PlanApprovers));
        Row(html, "Sites accepted", string.Join(", ", s.SitesAccepted));
        Row(html, "Sites refused", string.Join("; ", s.SitesRefused.Select(r => $"{r.Key}: {r.Value}")));
        Row(html, "Rounds", $"{s.Rounds.Count(r => r.Complete)} completed of {s.PlannedRounds} planned (minimum {s.MinSites} sites each)");
        Row(html, "Differential privacy", s.Privacy is null ? "none: the plan asks for no differential privacy" : $"{s.PrivacyStatement}; {PrivacyDescription.Mechanism(s.Privacy)}");
        Row(html, "Tree heads", $"{s.TreeHeads} signed, {s.Countersignatures} countersignatures; last head covers {s.LastHeadSize} entries, countersigned by {string.Join(", ", s.LastHeadWitnesses)}");
        Row(html, "Merkle root", s.Root);
        Row(html, "Revocation", s.RevocationNotChecked ? "NOT checked (--no-revocation-check)" : "checked against the CRL");
        html.Append("</table>");

        html.Append("<h2>Rounds</h2><table><tr><th>Round</th><th>Opened</th><th>Invited</th><th>Participants</th><th>Dropouts</th><th>Model</th><th>Metrics</th></tr>");
        foreach (var r in s.Rounds)
        {
            html.Append("<tr><td>").Append(r.Round).Append("</td><td>").Append(E(r.OpenedAt.ToString("u", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(r.Invited.Count).Append("</td><td>").Append(r.Participants.Count)
                .Append("</td><td>").Append(E(string.Join(", ", r.Dropouts))).Append("</td><td class=\"mono\">").Append(E(r.ResultModel?[..16] ?? "-"))
                .Append("</td><td>").Append(E(RoundMetrics(r.Metrics))).Append("</td></tr>");
        }

        html.Append("</table>");
        PrivacySection(html, s);
        MetricSections(html, s.Rounds);

        html.Append("<h2>Timeline</h2><table><tr><th>#</th><th>Time (UTC)</th><th>Entry</th><th>Round</th><th>Author</th></tr>");
        foreach (var t in s.Timeline)
        {
            html.Append("<tr><td>").Append(t.Index).Append("</td><td>").Append(E(t.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(E(t.Kind)).Append("</td><td>").Append(t.Round == 0 ? "-" : t.Round.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(t.Author)).Append("</td></tr>");
        }

        return html.Append("</table></body></html>\n").ToString();
    }

    /// <summary>The privacy spend per round, recomputed by the auditor, and the spent epsilon charted against the approved one.</summary>
    private static void PrivacySection(StringBuilder html, AuditSummary s)
    {
        if (s.Privacy is null)
        {
            return;
        }

        html.Append("<h2>Privacy budget per round</h2><p>Every figure recomputed from the plan; round ")
            .Append(s.Rounds.FirstOrDefault(r => r.PoolsStatistics)?.Round ?? 1)
            .Append(" pools public feature statistics and spends nothing.</p>")
            .Append("<table><tr><th>Round</th><th>Contributors</th><th>Scale</th><th>Round rho</th><th>Spent rho</th><th>Spent epsilon</th></tr>");
        var spends = s.Rounds.Where(r => r.Privacy is not null).Select(r => r.Privacy!).ToList();
        foreach (var p in spends)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{p.Round}</td><td>{p.Contributors}</td><td>{G(p.Scale)}</td><td>{G(p.RoundRho)}</td><td>{G(p.SpentRho)}</td><td>{F(p.SpentEpsilon)}</td></tr>");
        }

        html.Append("</table>");
        Chart(html, "spent epsilon", [.. spends.Select(p => (p.Round, p.SpentEpsilon))], s.Privacy.Epsilon);
    }

    /// <summary>
    /// A chart per headline metric over the rounds (AUC drawn with its error band), then the
    /// calibration table of the last round that has one: charting each reliability bin's entries
    /// round by round would bury the headline metrics under thirty charts.
    /// </summary>
    private static void MetricSections(StringBuilder html, IReadOnlyList<RoundSummary> rounds)
    {
        html.Append("<h2>Metrics per round</h2><p>Pooled over the sites' test rows from secure sums, for the model each round started from.</p>");
        var names = rounds.SelectMany(r => r.Metrics.Keys)
            .Where(k => !IsCalibration(k) && k != AucBoundKey)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var metric in names)
        {
            var points = rounds.Where(r => r.Metrics.ContainsKey(metric)).Select(r => (r.Round, r.Metrics[metric])).ToList();
            var band = metric == "auc" ? rounds.Where(r => r.Metrics.ContainsKey(metric)).Select(r => r.Metrics.GetValueOrDefault(AucBoundKey)).ToList() : null;
            Chart(html, metric == "auc" ? "auc (band: error bound)" : metric, points, null, band);
        }

        var last = rounds.LastOrDefault(r => r.Metrics.Keys.Any(IsCalibration));
        if (last is null)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h3>Calibration, round {last.Round}</h3><table><tr><th>Predicted probability</th><th>Rows</th><th>Mean predicted</th><th>Observed rate</th></tr>");
        foreach (var bin in last.Metrics.Keys.Where(k => IsCalibration(k) && k.EndsWith(" rows", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = bin[..^" rows".Length];
            html.Append("<tr><td>").Append(E(name[BinaryEvaluationSums.CalibrationPrefix.Length..])).Append("</td><td>").Append(F(last.Metrics[bin]))
                .Append("</td><td>").Append(last.Metrics.TryGetValue(name + " predicted", out var predicted) ? F(predicted) : "-")
                .Append("</td><td>").Append(last.Metrics.TryGetValue(name + " observed", out var observed) ? F(observed) : "-").Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Chart(StringBuilder html, string title, IReadOnlyList<(long Round, double Value)> points, double? limit, IReadOnlyList<double>? band = null)
    {
        const int width = 420, height = 220, left = 50, right = 15, top = 30, bottom = 30;
        if (points.Count == 0)
        {
            return;
        }

        var minX = points.Min(p => p.Round);
        var maxX = Math.Max(points.Max(p => p.Round), minX + 1);
        var minY = Math.Min(0, points.Min(p => p.Value));
        var maxY = Math.Max(limit ?? double.MinValue, points.Select((p, i) => p.Value + (band?[i] ?? 0)).Max());
        maxY = maxY <= minY ? minY + 1 : maxY;
        double X(long round) => left + ((double)(round - minX) / (maxX - minX) * (width - left - right));
        double Y(double value) => height - bottom - ((value - minY) / (maxY - minY) * (height - top - bottom));
        var color = Palette[(title.Length + title[0]) % Palette.Length];
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(title)} per round\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"14\">{E(title)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#888\"/>")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#888\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{top + 4}\" font-size=\"11\">{F(maxY)}</text><text x=\"4\" y=\"{height - bottom}\" font-size=\"11\">{F(minY)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"11\">round {minX}</text><text x=\"{width - right - 60}\" y=\"{height - 8}\" font-size=\"11\">round {maxX}</text>");
        if (limit is { } l)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(l):F1}\" x2=\"{width - right}\" y2=\"{Y(l):F1}\" stroke=\"#b42318\" stroke-dasharray=\"4 3\"/><text x=\"{width - right - 60}\" y=\"{Y(l) - 4:F1}\" font-size=\"11\" fill=\"#b42318\">budget</text>");
        }

        if (band is not null)
        {
            // The polygon from (value + bound) left to right, then (value - bound) back.
            var upper = points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{X(p.Round):F1},{Y(p.Value + band[i]):F1}"));
            var lower = points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{X(p.Round):F1},{Y(p.Value - band[i]):F1}")).Reverse();
            html.Append(CultureInfo.InvariantCulture, $"<polygon fill=\"{color}\" fill-opacity=\"0.2\" stroke=\"none\" points=\"").AppendJoin(' ', upper.Concat(lower)).Append("\"/>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Round):F1},{Y(p.Value):F1}")))
            .Append("\"/>");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var value = band is null ? F(p.Value) : $"{F(p.Value)} +/- {F(band[i])}";
            html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.Round):F1}\" cy=\"{Y(p.Value):F1}\" r=\"3\" fill=\"{color}\"><title>round {p.Round}: {value}</title></circle>");
        }

        html.Append("</svg>");
    }

    /// <summary>The round's metrics except the calibration table, the AUC with its bound: "auc 0.8412 +/- 0.0003, brier 0.162, ...".</summary>
    private static string RoundMetrics(IReadOnlyDictionary<string, double> metrics) => string.Join(", ", metrics
        .Where(m => !IsCalibration(m.Key) && m.Key != AucBoundKey)
        .Select(m => m.Key == "auc" && metrics.TryGetValue(AucBoundKey, out var bound) ? $"auc {F(m.Value)} +/- {F(bound)}" : $"{m.Key} {F(m.Value)}"));

    private static bool IsCalibration(string key) => key.StartsWith(BinaryEvaluationSums.CalibrationPrefix, StringComparison.Ordinal);

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
