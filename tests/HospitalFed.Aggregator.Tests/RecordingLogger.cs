using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Tests;

/// <summary>One logged event: level, event id, the formatted message and its structured fields.</summary>
internal sealed record LoggedEvent(LogLevel Level, int Id, string Text, IReadOnlyDictionary<string, object?> Fields);

/// <summary>A logger that keeps every event it is given, for tests that assert on what a component logged.</summary>
/// <typeparam name="T">The category.</typeparam>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LoggedEvent> _events = new();

    /// <summary>Called after each event is kept (for example to signal a waiting test); none by default.</summary>
    public Action<RecordingLogger<T>>? Logged { get; init; }

    /// <summary>The events so far, oldest first.</summary>
    public IReadOnlyList<LoggedEvent> Events => [.. _events];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
        _events.Enqueue(new LoggedEvent(logLevel, eventId.Id, formatter(state, exception), fields));
        Logged?.Invoke(this);
    }
}
