using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace HospitalFed.Dashboard.Internal;

/// <summary>Small helpers for server-rendered HTML: every value goes through <see cref="E"/>.</summary>
internal static class Html
{
    /// <summary>HTML-encodes <paramref name="value"/>.</summary>
    public static string E(object? value) => HtmlEncoder.Default.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? $"<time datetime=\"{E(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}\">{E(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</time>" : "—";

    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0} ms"
        : span.TotalMinutes < 1 ? $"{span.TotalSeconds:0.0} s"
        : $"{(int)span.TotalMinutes} min {span.Seconds} s";

    /// <summary>A short form of a 64-hex id with the full id in a tooltip.</summary>
    public static string Id(string id) => $"<code title=\"{E(id)}\">{E(id.Length > 12 ? id[..12] + "…" : id)}</code>";

    public static string Badge(string text, string kind) => $"<span class=\"badge {kind}\">{E(text)}</span>";

    /// <summary>A table with a caption, header cells and rows of pre-rendered cells.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string empty = "none yet")
    {
        var html = new StringBuilder();
        html.Append("<table><caption>").Append(E(caption)).Append("</caption><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"").Append(headers.Count).Append("\" class=\"empty\">").Append(E(empty)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
