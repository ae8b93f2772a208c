using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// Receives the aggregator's structured logs and keeps its phase changes (event 1003, "Plan
/// {PlanId}: round {Round} phase {Phase}", written synchronously as the orchestrator changes
/// phase), stamped with the clock, the wire meter, the process CPU time and the garbage collector's
/// pause time and allocation count.
/// </summary>
internal sealed class RoundTimeline(WireMeter meter, TimeProvider time) : ILoggerProvider, ILogger
{
    private const int PhaseChangedEvent = 1003;
    private readonly List<PhaseEvent> _events = [];
    private readonly Lock _gate = new();

    /// <summary>Why the plan failed, if the aggregator logged a failure.</summary>
    public string? Failure { get; private set; }

    /// <summary>The phase changes so far, in order.</summary>
    public IReadOnlyList<PhaseEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
        {
            Failure = formatter(state, exception);
        }

        if (eventId.Id != PhaseChangedEvent || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            return;
        }

        var round = fields.First(f => f.Key == "Round").Value is long r ? r : 0;
        var phase = fields.First(f => f.Key == "Phase").Value as string ?? "?";
        var stamp = new PhaseEvent(time.GetTimestamp(), round, phase, meter.Received, meter.Sent, Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        lock (_gate)
        {
            _events.Add(stamp);
        }
    }

    public void Dispose()
    {
    }
}
