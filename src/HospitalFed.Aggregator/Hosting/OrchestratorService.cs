using Grpc.Health.V1;
using HospitalFed.Transport.Hosting;
using Microsoft.Extensions.Hosting;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// Runs the plan inside the aggregator's host: ticks the phase deadlines until the plan completes
/// or fails, then reports Federation NOT_SERVING and stops the application. On the way down it
/// waits until every connected site's task stream delivered its last task (bounded by the host's
/// shutdown timeout); if the host stops before the plan ended, the streams are ended at once.
/// With <see cref="OrchestratorServiceOptions.KeepServing"/> (a dashboard kept up after the plan)
/// the application stays up until it is stopped instead.
/// </summary>
internal sealed class OrchestratorService(OrchestratorRunner runner, FederationService federation, NodeHealth health, IHostApplicationLifetime lifetime, OrchestratorServiceOptions options) : BackgroundService
{
    /// <summary>The health name of the federation service.</summary>
    public const string FederationName = "hospitalfed.v1.Federation";

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        health.SetStatus(FederationName, HealthCheckResponse.Types.ServingStatus.Serving);
        lifetime.ApplicationStopping.Register(() =>
        {
            if (!runner.Finished.IsCompleted)
            {
                federation.EndStreams();
            }
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await federation.WhenStreamsClosedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var ticking = runner.RunAsync(stop.Token);
        try
        {
            await runner.Finished.WaitAsync(stoppingToken).ConfigureAwait(false);
            health.SetStatus(FederationName, HealthCheckResponse.Types.ServingStatus.NotServing);
            if (options.KeepServing)
            {
                options.PlanEnded?.Invoke();
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && runner.Finished.IsCompleted && options.KeepServing)
        {
            // stopped after the plan ended: the dashboard was kept up until now
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await ticking.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the deadline loop stops with the plan or the host
            }

            lifetime.StopApplication();
        }
    }
}
