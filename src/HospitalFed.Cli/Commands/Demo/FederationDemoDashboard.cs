using HospitalFed.Dashboard;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// <c>hfed demo --dashboard</c>: the aggregator serves the dashboard; the demo prints its URL and
/// login links signed with the demo admin's key (here, in the demo's process: the key never goes
/// to the server), and keeps the aggregator up after the plan until Ctrl+C.
/// </summary>
internal static class FederationDemoDashboard
{
    /// <summary>Turns the dashboard on in the demo's aggregator config; returns the dashboard's origin.</summary>
    public static string Enable(FederationDemoFiles files, int port)
    {
        files.EnableDashboard(port);
        return DashboardLoginLink.NormaliseOrigin($"https://localhost:{port}");
    }

    /// <summary>Prints the URL and a fresh login link (valid <see cref="DashboardLoginLink.DefaultLifetime"/>, usable once).</summary>
    public static void PrintLogin(FederationDemoFiles files, string origin, TextWriter progress, string why)
    {
        var link = DashboardLoginLink.Create(files.Admin, origin, DashboardLoginLink.DefaultLifetime);
        progress.WriteLine($"dashboard: {origin} ({why}; the demo CA's certificate is not trusted by browsers: accept the warning)");
        progress.WriteLine($"login link for {files.Admin.Name} (valid {DashboardLoginLink.DefaultLifetime.TotalMinutes:0} minutes, usable once): {link}");
    }

    /// <summary>After the plan: a fresh login link, then waits until Ctrl+C (or the aggregator exits).</summary>
    public static async Task KeepUpAsync(FederationDemoFiles files, string origin, ChildProcess aggregator, TextWriter progress, CancellationToken cancellationToken)
    {
        PrintLogin(files, origin, progress, "the plan finished; the aggregator keeps serving the dashboard");
        var site = files.Centres[0].Name;
        progress.WriteLine($"another link, with any consortium party's certificate (a site's here): hfed dashboard login --url {origin} --cert {files.PathOf($"{site}.cert.pem")} --key {files.PathOf($"{site}.key.pem")}");
        progress.WriteLine("Ctrl+C stops the aggregator and cleans up");
        try
        {
            var code = await aggregator.WaitAsync(cancellationToken).ConfigureAwait(false);
            progress.WriteLine($"the aggregator exited ({code}); the dashboard is down");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.WriteLine("stopping the aggregator and the dashboard");
        }
    }
}
