using System.Globalization;
using System.Text;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// A line chart of one metric per round as inline SVG, rendered on the server: axes with ticks,
/// the line, a point per round with its value as a tooltip, and a text description for screen
/// readers. No script and no external file.
/// </summary>
internal static class SvgChart
{
    private const double Width = 560, Height = 260, Left = 56, Right = 16, Top = 16, Bottom = 40;

    public static string Line(string title, IReadOnlyList<(long Round, double Value)> points)
    {
        var finite = points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Round).ToList();
        if (finite.Count == 0)
        {
            return $"<p class=\"empty\">No {E(title)} values yet.</p>";
        }

        var (minX, maxX) = (finite[0].Round, Math.Max(finite[^1].Round, finite[0].Round + 1));
        var (minY, maxY) = (finite.Min(p => p.Value), finite.Max(p => p.Value));
        if (maxY - minY < 1e-12)
        {
            (minY, maxY) = (minY - 0.5, maxY + 0.5);
        }

        var pad = (maxY - minY) * 0.08;
        (minY, maxY) = (minY - pad, maxY + pad);
        double X(long round) => Left + ((round - minX) / (double)(maxX - minX) * (Width - Left - Right));
        double Y(double value) => Top + ((maxY - value) / (maxY - minY) * (Height - Top - Bottom));
        var summary = string.Join(", ", finite.Select(p => $"round {p.Round}: {F(p.Value)}"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\"><svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(title)} per round: {E(summary)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i <= 4; i++)
        {
            var value = minY + ((maxY - minY) * i / 4);
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.0}\" y2=\"{y:0.0}\"/><text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.0}\" text-anchor=\"end\">{F(value)}</text>");
        }

        foreach (var p in finite)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(p.Round):0.0}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{p.Round}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">round</text>");
        svg.Append("<polyline class=\"series\" points=\"").AppendJoin(' ', finite.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Round):0.0},{Y(p.Value):0.0}"))).Append("\"/>");
        foreach (var p in finite)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{X(p.Round):0.0}\" cy=\"{Y(p.Value):0.0}\" r=\"4\"><title>round {p.Round}: {F(p.Value)}</title></circle>");
        }

        return svg.Append(CultureInfo.InvariantCulture, $"</svg><figcaption>{E(title)} per round</figcaption></figure>").ToString();
    }

    private static string F(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
