using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// Passes the transport server's warnings and errors (a TLS client refused at the handshake, an
/// unhandled handler failure) to the aggregator's own logs, and nothing else: Kestrel's per-request
/// information would drown the orchestrator's progress lines.
/// </summary>
internal sealed class TransportLogForwarder(ILoggerFactory logs) : ILoggerProvider
{
    private const string Category = "HospitalFed.Transport.Server";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? new WarningsOnly(logs.CreateLogger(categoryName)) : NullLogger.Instance;

    public void Dispose()
    {
        // the factory belongs to the caller
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
