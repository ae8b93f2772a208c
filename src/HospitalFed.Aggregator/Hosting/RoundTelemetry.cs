using System.Diagnostics;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Transport.Telemetry;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// Turns the orchestrator's phase changes into OpenTelemetry: an <c>hfed.round</c> span per round
/// with an <c>hfed.phase</c> child per phase, <see cref="HospitalFedTelemetry.PhaseDuration"/>,
/// <see cref="HospitalFedTelemetry.RoundDuration"/>, <see cref="HospitalFedTelemetry.Rounds"/> and
/// <see cref="HospitalFedTelemetry.Dropouts"/>. Called by the runner under its lock.
/// </summary>
internal sealed class RoundTelemetry(string planId, TimeProvider time)
{
    private Activity? _roundSpan;
    private Activity? _phaseSpan;
    private long _round;
    private long _roundStarted;
    private OrchestratorPhase? _phase;
    private long _phaseStarted;

    /// <summary>The orchestrator is now in <paramref name="phase"/> of <paramref name="round"/>; <paramref name="history"/> holds the completed rounds.</summary>
    public void PhaseChanged(long round, OrchestratorPhase phase, IReadOnlyList<RoundRecord> history)
    {
        var now = time.GetTimestamp();
        if (_phase is { } previous && IsTimed(previous))
        {
            HospitalFedTelemetry.PhaseDuration.Record(
                time.GetElapsedTime(_phaseStarted, now).TotalSeconds,
                new TagList { { HospitalFedTelemetry.Tags.Plan, planId }, { HospitalFedTelemetry.Tags.Phase, AggregatorFederationStatus.Words(previous) } });
        }

        _phaseSpan?.Dispose();
        _phaseSpan = null;
        var roundOver = round != _round || phase is OrchestratorPhase.WaitingForSites or OrchestratorPhase.Completed or OrchestratorPhase.Failed;
        if (_round > 0 && roundOver && _roundStarted != 0)
        {
            EndRound(history, phase, now);
        }

        _phase = phase;
        _phaseStarted = now;
        if (!InRound(phase))
        {
            return;
        }

        if (_roundStarted == 0 || round != _round)
        {
            _round = round;
            _roundStarted = now;
            _roundSpan = Detached(() => HospitalFedTelemetry.Source.StartActivity("hfed.round", ActivityKind.Internal, default(ActivityContext)));
            _roundSpan?.SetTag(HospitalFedTelemetry.Tags.Plan, planId).SetTag(HospitalFedTelemetry.Tags.Round, round);
        }

        if (_roundSpan is { } roundSpan)
        {
            var parent = roundSpan.Context;
            _phaseSpan = Detached(() => HospitalFedTelemetry.Source.StartActivity("hfed.phase", ActivityKind.Internal, parent));
            _phaseSpan?.SetTag(HospitalFedTelemetry.Tags.Phase, AggregatorFederationStatus.Words(phase)).SetTag(HospitalFedTelemetry.Tags.Round, round);
        }
    }

    private void EndRound(IReadOnlyList<RoundRecord> history, OrchestratorPhase phase, long now)
    {
        var record = history.LastOrDefault(r => r.Round == _round);
        var outcome = record is not null ? "completed" : phase == OrchestratorPhase.Failed ? "failed" : "aborted";
        var tags = new TagList { { HospitalFedTelemetry.Tags.Plan, planId }, { HospitalFedTelemetry.Tags.Outcome, outcome } };
        HospitalFedTelemetry.Rounds.Add(1, tags);
        HospitalFedTelemetry.RoundDuration.Record(time.GetElapsedTime(_roundStarted, now).TotalSeconds, tags);
        if (record is { Dropped.Count: > 0 })
        {
            HospitalFedTelemetry.Dropouts.Add(record.Dropped.Count, new TagList { { HospitalFedTelemetry.Tags.Plan, planId } });
        }

        _roundSpan?.SetTag(HospitalFedTelemetry.Tags.Outcome, outcome);
        if (outcome != "completed")
        {
            _roundSpan?.SetStatus(ActivityStatusCode.Error, outcome);
        }

        _roundSpan?.Dispose();
        _roundSpan = null;
        _roundStarted = 0;
    }

    /// <summary>
    /// Starts a span that is never the ambient one, and with no ambient parent: rounds and phases
    /// outlive the gRPC call (the ambient activity) during which they began.
    /// </summary>
    private static Activity? Detached(Func<Activity?> start)
    {
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            return start();
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private static bool InRound(OrchestratorPhase phase) =>
        phase is not (OrchestratorPhase.Created or OrchestratorPhase.WaitingForSites or OrchestratorPhase.Completed or OrchestratorPhase.Failed);

    private static bool IsTimed(OrchestratorPhase phase) => phase is not (OrchestratorPhase.Created or OrchestratorPhase.Completed or OrchestratorPhase.Failed);
}
