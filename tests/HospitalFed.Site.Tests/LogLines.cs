using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Tests;

/// <summary>Captures formatted log lines with their event ids, so a test can check what a service said (and what it never says).</summary>
internal sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _lines = new();

    public IReadOnlyCollection<(int EventId, string Text)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Collector(_lines);

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<(int EventId, string Text)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
