using System.Text;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>Renders the dashboard's pages as whole HTML documents; one partial file per page.</summary>
internal sealed partial class DashboardPages(DashboardContext context)
{
    /// <summary>The navigation: path, title, what it shows.</summary>
    public static readonly IReadOnlyList<(string Path, string Title)> Navigation =
    [
        ("/", "Consortium"),
        ("/sites", "Sites"),
        ("/plans", "Plans"),
        ("/live", "Live round"),
        ("/curves", "Learning curves"),
        ("/audit", "Audit"),
    ];

    /// <summary>A full page for a signed-in party.</summary>
    public string Page(string path, DashboardPrincipal who, string body)
    {
        var title = Navigation.FirstOrDefault(n => n.Path == path).Title ?? "Dashboard";
        var nav = new StringBuilder("<nav aria-label=\"Dashboard pages\"><ul>");
        foreach (var (href, name) in Navigation)
        {
            nav.Append("<li><a href=\"").Append(href).Append('"').Append(href == path ? " aria-current=\"page\"" : "").Append('>').Append(E(name)).Append("</a></li>");
        }

        nav.Append("</ul></nav>");
        var problem = context.Feed.Problem is { } p ? $"<p class=\"alert\" role=\"alert\">{E(p)}</p>" : "";
        var user = $"<p class=\"who\">Signed in as <strong>{E(who.Name)}</strong> ({E(who.RoleName)}, {E(who.Method)})</p>";
        return Document(title, $"<header><p class=\"brand\">HospitalFed · {E(context.Consortium.Name)}</p>{user}{nav}</header><main id=\"main\"><h1>{E(title)}</h1>{problem}{body}</main>");
    }

    /// <summary>The page shown instead of any other when a request is refused (401 or 403).</summary>
    public static string Refusal(int status, string reason) =>
        Document(status == 401 ? "Sign in required" : "Access refused", $"""
            <main id="main" class="refusal">
            <h1>{(status == 401 ? "Sign in required" : "Access refused")}</h1>
            <p role="alert">{E(reason)}</p>
            <p>The dashboard is open to consortium parties only. Sign in with your consortium client
            certificate in the browser, or make a login link on your own machine (your key never leaves it):</p>
            <pre><code>hfed dashboard login --url &lt;dashboard URL&gt; --cert you.cert.pem --key you.key.pem</code></pre>
            <p>and open the link it prints within two minutes.</p>
            </main>
            """);

    private static string Document(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · HospitalFed dashboard</title>
        <link rel="stylesheet" href="/dashboard.css">
        <script src="/dashboard.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        {body}
        </body>
        </html>
        """;
}
