using System.Threading.Channels;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// Gives an <see cref="Orchestrator"/> to concurrent connections: one lock serialises every call,
/// each subscribed site gets its own task queue, and a loop ticks the phase deadlines. It routes
/// bytes and translates refusals into RPC statuses; every decision stays in the orchestrator.
/// </summary>
public sealed class OrchestratorRunner
{
    private readonly Orchestrator _orchestrator;
    private readonly string _planId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Channel<SiteTask>> _streams = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OrchestratorPhase _lastPhase;
    private long _lastRound;
    private int _reportedRounds;
    private readonly RoundTelemetry _telemetry;

    /// <summary>Creates the runner; <paramref name="orchestrator"/> must already be started.</summary>
    public OrchestratorRunner(Orchestrator orchestrator, string planId, TimeProvider? time = null, ILogger<OrchestratorRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        _orchestrator = orchestrator;
        _planId = planId;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<OrchestratorRunner>.Instance;
        _reportedRounds = orchestrator.History.Count; // rounds replayed after a restart were reported by the earlier run
        _telemetry = new RoundTelemetry(planId, _time);
    }

    /// <summary>The live status the host's dashboard shows; told of every phase change. None by default.</summary>
    public AggregatorFederationStatus? Status { get; init; }

    /// <summary>Called before every deadline tick (about five times a second), outside the lock: the host's revocation refresh.</summary>
    public Action? BeforeTick { get; init; }

    /// <summary>Completes when the plan completed or failed (after the last tasks were queued).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Opens <paramref name="site"/>'s task stream, replacing an older one of the same site.</summary>
    /// <exception cref="RpcException">PERMISSION_DENIED: the site is not invited; FAILED_PRECONDITION: another plan.</exception>
    public ChannelReader<SiteTask> Subscribe(string site, string planId)
    {
        if (planId.Length > 0 && planId != _planId)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"This aggregator runs plan {_planId}, not {planId}."));
        }

        lock (_gate)
        {
            var channel = Channel.CreateUnbounded<SiteTask>(new UnboundedChannelOptions { SingleReader = true });
            if (_streams.Remove(site, out var older))
            {
                older.Writer.TryComplete();
            }

            _streams[site] = channel;
            AggregatorLog.SiteSubscribed(_logger, site);
            Route(() => _orchestrator.Connect(site), site);
            if (_finished.Task.IsCompleted)
            {
                channel.Writer.TryComplete(); // the plan is over: deliver what is due, then end the stream
            }

            return channel.Reader;
        }
    }

    /// <summary>Closes <paramref name="site"/>'s stream if <paramref name="reader"/> is still its current one.</summary>
    public void Unsubscribe(string site, ChannelReader<SiteTask> reader)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(site, out var current) && current.Reader == reader)
            {
                _streams.Remove(site);
                _orchestrator.Disconnect(site);
                AggregatorLog.SiteDisconnected(_logger, site);
            }
        }
    }

    /// <summary>Passes one protocol message to the orchestrator.</summary>
    /// <exception cref="RpcException">The orchestrator or the SecAgg session refused it.</exception>
    public void Submit(string site, SiteMessage message)
    {
        lock (_gate)
        {
            Route(
                () =>
                {
                    var round = _orchestrator.Round;
                    var outgoing = _orchestrator.Receive(site, message);
                    if (message.MessageCase == SiteMessage.MessageOneofCase.UploadEntry)
                    {
                        // The signed Upload entry matched every protected byte received: from here the
                        // site's input is in the sum, and a later silence only costs its later answers.
                        AggregatorLog.MaskedInputUploaded(_logger, site, round);
                    }
                    else if (message.MessageCase == SiteMessage.MessageOneofCase.Countersignature && _orchestrator.LastCountersigned.TryGetValue(site, out var size))
                    {
                        AggregatorLog.HeadCountersigned(_logger, site, size);
                    }

                    return outgoing;
                },
                site);
        }
    }

    /// <summary>
    /// Passes a site's whole masked input, chunk by chunk, to the orchestrator under one lock, so no
    /// phase closes half-way through it.
    /// </summary>
    /// <exception cref="RpcException">The orchestrator or the SecAgg session refused a chunk.</exception>
    public void Upload(string site, IEnumerable<SecAggMaskedInputChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        lock (_gate)
        {
            foreach (var chunk in chunks)
            {
                Route(() => _orchestrator.Receive(site, chunk), site);
            }
        }
    }

    /// <summary>Passes a site's whole CKKS or plain input, chunk by chunk, to the orchestrator under one lock.</summary>
    /// <exception cref="RpcException">The orchestrator refused a chunk.</exception>
    public void Upload(string site, IEnumerable<ProtectedInputChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        lock (_gate)
        {
            foreach (var chunk in chunks)
            {
                Route(() => _orchestrator.Receive(site, chunk), site);
            }
        }
    }

    /// <summary>Logs that <paramref name="site"/>'s upload stream broke after <paramref name="bytes"/> bytes and was discarded unseen.</summary>
    public void DiscardUpload(string site, long bytes)
    {
        lock (_gate)
        {
            AggregatorLog.PartialUploadDiscarded(_logger, site, _orchestrator.Round, bytes);
        }
    }

    /// <summary>Ticks the phase deadlines until the plan ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!_finished.Task.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            BeforeTick?.Invoke();
            lock (_gate)
            {
                Route(_orchestrator.Tick, "(deadline)");
            }
        }
    }

    private void Route(Func<IReadOnlyList<Outgoing>> step, string site)
    {
        IReadOnlyList<Outgoing> outgoing;
        try
        {
            outgoing = step();
        }
        catch (Exception ex) when (ex is OrchestratorException or SecAggException)
        {
            AggregatorLog.MessageRefused(_logger, site, ex.Message);
            throw new RpcException(new Status(ex is OrchestratorException ? StatusCode.FailedPrecondition : StatusCode.InvalidArgument, ex.Message));
        }

        foreach (var task in outgoing)
        {
            if (_streams.TryGetValue(task.Recipient, out var stream))
            {
                stream.Writer.TryWrite(task.Task);
            }
        }

        ReportProgress();
    }

    private void ReportProgress()
    {
        ReportRoundMetrics();
        var phase = _orchestrator.Phase;
        if (phase == _lastPhase && _orchestrator.Round == _lastRound)
        {
            return;
        }

        _lastPhase = phase;
        _lastRound = _orchestrator.Round;
        AggregatorLog.PhaseChanged(_logger, _planId, _lastRound, phase.ToString());
        _telemetry.PhaseChanged(_lastRound, phase, _orchestrator.History);
        Status?.PhaseChanged(_lastRound, phase, _orchestrator.Accepted);
        if (phase == OrchestratorPhase.WaitingForSites && _orchestrator.WaitingReason is { } waiting)
        {
            // A round aborted or too few sites remain: the aggregator stays up and says why, once.
            AggregatorLog.PlanWaiting(_logger, _planId, waiting, _orchestrator.MinSites);
        }

        if (phase is OrchestratorPhase.Completed or OrchestratorPhase.Failed)
        {
            if (phase == OrchestratorPhase.Completed)
            {
                AggregatorLog.PlanCompleted(_logger, _planId, _orchestrator.History.Count);
            }
            else
            {
                AggregatorLog.PlanFailed(_logger, _planId, _orchestrator.FailureReason ?? "unknown");
            }

            foreach (var stream in _streams.Values)
            {
                stream.Writer.TryComplete(); // the last result or abort is queued first; then the stream ends
            }

            _finished.TrySetResult();
        }
    }

    /// <summary>One line per newly completed training round: the pooled metrics of the model it started from (sums only).</summary>
    private void ReportRoundMetrics()
    {
        var history = _orchestrator.History;
        for (; _reportedRounds < history.Count; _reportedRounds++)
        {
            var round = history[_reportedRounds];
            if (round.Metrics.TryGetValue("test_rows", out var rows))
            {
                AggregatorLog.RoundMetrics(_logger, _planId, round.Round, (long)rows, Get(round.Metrics, "auc"), Get(round.Metrics, "auc_error_bound"), Get(round.Metrics, "balanced_accuracy"), Get(round.Metrics, "brier"), Get(round.Metrics, "ece"), Get(round.Metrics, "log_loss"));
            }
        }

        // NaN when one class is absent from every test split (no AUC, no balanced accuracy).
        static double Get(IReadOnlyDictionary<string, double> metrics, string key) => metrics.TryGetValue(key, out var value) ? value : double.NaN;
    }
}
