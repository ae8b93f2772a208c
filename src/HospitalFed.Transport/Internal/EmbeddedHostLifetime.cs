using Microsoft.Extensions.Hosting;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// <see cref="Hosting.NodeServer"/> lives inside another program (the CLI, a test, a node service), which owns
/// Ctrl+C and SIGTERM; the default console lifetime would swallow those signals, so it is replaced.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
