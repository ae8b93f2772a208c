using System.Runtime.ExceptionServices;
using HospitalFed.Cli.Commands;
using HospitalFed.Site.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.WindowsServices;

namespace HospitalFed.Cli.Hosting;

/// <summary>
/// Runs the site's worker for the Generic Host until the plan ends, then stops the application: the
/// site service is a job with an end, not a server. A stop from the host (Ctrl+C, SIGTERM, the
/// Windows Service Control Manager) cancels the worker; its state is saved before every reply, so the
/// next start resumes.
/// </summary>
internal sealed class SiteService(SiteRuntime runtime, IHostApplicationLifetime lifetime, IHostLifetime hostLifetime) : BackgroundService
{
    /// <summary>The round agent, to report how the plan ended.</summary>
    public SiteRuntime Runtime => runtime;

    /// <summary>Whether the worker returned because the plan ended (completed or aborted).</summary>
    public bool PlanEnded { get; private set; }

    /// <summary>What stopped the worker if it failed; <see langword="null"/> after the plan ended or a stop.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runtime.RunAsync(stoppingToken).ConfigureAwait(false);
            PlanEnded = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped by the host: not a failure.
        }
        catch (Exception ex)
        {
            // Reported by the command as its one error line; the host must not swallow it.
            Failure = ExceptionDispatchInfo.Capture(ex);
            if (OperatingSystem.IsWindows() && hostLifetime is WindowsServiceLifetime service)
            {
                // The lifetime reports SERVICE_STOPPED with this code: non-zero is what makes the Service
                // Control Manager apply its recovery actions (with `sc.exe failureflag HospitalFedSite 1`).
                service.ExitCode = ExitCodes.Failed;
            }
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
