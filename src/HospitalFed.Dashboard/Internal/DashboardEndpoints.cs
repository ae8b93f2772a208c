using System.Reflection;
using HospitalFed.Crypto.Identity;
using HospitalFed.Dashboard.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// The dashboard's HTTP surface: security headers on every response; the stylesheet, script and
/// login endpoint open to all; every other path only for a consortium party signed in by client
/// certificate or by a session cookie from a login link, re-checked against the CRL on every request.
/// Read-only: GET only.
/// </summary>
internal static class DashboardEndpoints
{
    private const string PrincipalKey = "hfed.principal";

    public static void Map(WebApplication app, DashboardContext context, ILogger logger)
    {
        var pages = new DashboardPages(context);
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.StrictTransportSecurity = "max-age=31536000";
            headers.CacheControl = "no-store";
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed; // read-only
                return;
            }

            if (http.Request.Path == "/dashboard.css" || http.Request.Path == "/dashboard.js" || http.Request.Path == DashboardLoginLink.LoginPath)
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            var (principal, status, reason) = await AuthenticateAsync(http, context).ConfigureAwait(false);
            if (principal is null)
            {
                await RefuseAsync(http, logger, status, reason).ConfigureAwait(false);
                return;
            }

            http.Items[PrincipalKey] = principal;
            await next(http).ConfigureAwait(false);
        });

        app.MapGet("/dashboard.css", () => Resource("dashboard.css", "text/css; charset=utf-8"));
        app.MapGet("/dashboard.js", () => Resource("dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet(DashboardLoginLink.LoginPath, async (HttpContext http) =>
        {
            try
            {
                var principal = context.Logins.Verify(http.Request.Query["token"]);
                var (cookie, expires) = context.Sessions.Start(principal, context.Options.SessionLifetime);
                http.Response.Cookies.Append(SessionStore.CookieName, cookie, new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", Expires = expires, IsEssential = true });
                DashboardLog.SignedIn(logger, principal.Name, principal.RoleName, principal.Method);
                http.Response.Redirect("/", permanent: false); // drops the token from the address bar
            }
            catch (IdentityException ex)
            {
                await RefuseAsync(http, logger, StatusCodes.Status403Forbidden, ex.Message).ConfigureAwait(false);
            }
        });

        Page(app, "/", pages, _ => pages.Consortium());
        Page(app, "/sites", pages, _ => pages.Sites());
        Page(app, "/plans", pages, _ => pages.Plans());
        Page(app, "/live", pages, _ => pages.Live());
        Page(app, "/curves", pages, _ => pages.Curves());
        Page(app, "/audit", pages, http => pages.Audit(http.Request.Query["verify"]));
        app.MapGet("/live/events", async (HttpContext http) =>
        {
            // Ends with the browser or with the server: an open stream must not hold a shutdown up.
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, app.Lifetime.ApplicationStopping);
            await LiveEventsAsync(http, context.Status, stream.Token).ConfigureAwait(false);
        });
    }

    private static void Page(WebApplication app, string path, DashboardPages pages, Func<HttpContext, string> body) =>
        app.MapGet(path, (HttpContext http) => Results.Content(pages.Page(path, (DashboardPrincipal)http.Items[PrincipalKey]!, body(http)), "text/html; charset=utf-8"));

    /// <summary>Who is asking: client certificate first, then the session cookie; both checked against root and CRL now.</summary>
    private static async Task<(DashboardPrincipal? Principal, int Status, string Reason)> AuthenticateAsync(HttpContext http, DashboardContext context)
    {
        var certificate = await http.Connection.GetClientCertificateAsync(http.RequestAborted).ConfigureAwait(false);
        if (certificate is not null)
        {
            try
            {
                var (name, role) = context.Trust.Validate(certificate);
                return (new DashboardPrincipal(name, role, certificate, "client certificate"), 0, "");
            }
            catch (IdentityException ex)
            {
                return (null, StatusCodes.Status403Forbidden, $"Your client certificate is refused: {ex.Message}");
            }
        }

        var session = context.Sessions.Find(http.Request.Cookies[SessionStore.CookieName]);
        if (session is null)
        {
            return (null, StatusCodes.Status401Unauthorized, "No valid credentials: no consortium client certificate and no live session.");
        }

        try
        {
            context.Trust.Validate(session.Certificate, session.Name);
            return (session, 0, "");
        }
        catch (IdentityException ex)
        {
            return (null, StatusCodes.Status403Forbidden, $"Your session's certificate is no longer accepted: {ex.Message}");
        }
    }

    private static async Task RefuseAsync(HttpContext http, ILogger logger, int status, string reason)
    {
        DashboardLog.Refused(logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", status, reason);
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "HFed-Login realm=\"hospitalfed-dashboard\"";
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(DashboardPages.Refusal(status, reason), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Server-sent events: the live panel re-rendered on every federation event (event name "live").</summary>
    private static async Task LiveEventsAsync(HttpContext http, IFederationStatus status, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var recent = new List<FederationEvent>();
        await http.Response.WriteAsync("retry: 3000\n\n", cancellationToken).ConfigureAwait(false);
        await SendAsync(http, DashboardPages.LiveFragment(status.Current, recent), cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var e in status.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                recent.Insert(0, e);
                if (recent.Count > 12)
                {
                    recent.RemoveAt(recent.Count - 1);
                }

                await SendAsync(http, DashboardPages.LiveFragment(status.Current, recent), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the browser left
        }
    }

    private static async Task SendAsync(HttpContext http, string html, CancellationToken cancellationToken)
    {
        var data = string.Join('\n', html.Split('\n').Select(line => "data: " + line.TrimEnd('\r')));
        await http.Response.WriteAsync($"event: live\n{data}\n\n", cancellationToken).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IResult Resource(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException($"embedded resource '{name}' is missing");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}
