using HospitalFed.Crypto.SecAgg;
using HospitalFed.Protocol.V1;
using Grpc.Core;
using HospitalFed.Site.Rounds;
using HospitalFed.Site.Worker.Internal;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HospitalFed.Site.Worker;

/// <summary>
/// Connects OUTBOUND to the aggregator (hospital firewalls allow no inbound), holds the task
/// stream open, feeds each task to the <see cref="SiteAgent"/> and sends its answers back;
/// reconnects with capped exponential backoff and jitter (<see cref="SiteReconnectPolicy"/>) when the
/// connection drops. Routes bytes only.
/// </summary>
public sealed class SiteWorker
{
    private readonly SiteAgent _agent;
    private readonly Federation.FederationClient _client;
    private readonly string _address;
    private readonly string _planId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly State.SiteStateStore? _state;
    private readonly HashSet<string> _declineLogged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waitLogged = new(StringComparer.Ordinal);
    private SiteReconnectPolicy? _reconnect;
    private SiteTask? _lastTask;
    private string? _declinedPlan;

    /// <summary>Creates the worker.</summary>
    /// <param name="agent">The site's round state machine.</param>
    /// <param name="channel">A channel to the aggregator with the site's client certificate (<c>NodeChannel.Create</c>); the caller disposes it.</param>
    /// <param name="planId">The plan the site expects, or empty for the aggregator's plan (the agent still vets it).</param>
    /// <param name="time">The clock for backoff delays (of the default <see cref="Reconnect"/> policy).</param>
    /// <param name="logger">Structured logs.</param>
    /// <param name="state">Where the agent's <see cref="SiteAgent.State"/> is saved before each reply that changed it; none by default.</param>
    public SiteWorker(SiteAgent agent, ChannelBase channel, string planId, TimeProvider? time = null, ILogger<SiteWorker>? logger = null, State.SiteStateStore? state = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(channel);
        _agent = agent;
        _client = new Federation.FederationClient(channel);
        _address = channel.Target;
        _planId = planId ?? string.Empty;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<SiteWorker>.Instance;
        _state = state;
    }

    /// <summary>
    /// Called before each connection attempt and each task is handled: the host's revocation
    /// refresh, so a re-issued CRL is in force before the site trusts anything new. None by default.
    /// </summary>
    public Action? BeforeTask { get; init; }

    /// <summary>How the worker reconnects (exponential backoff with decorrelated jitter, capped) and how often a site that declined the plan asks again; the defaults of <see cref="SiteReconnectPolicy"/> on the worker's clock by default.</summary>
    public SiteReconnectPolicy Reconnect
    {
        get => _reconnect ??= new SiteReconnectPolicy(_time);
        init => _reconnect = value;
    }

    /// <summary>How long each call to the aggregator may take before it is DEADLINE_EXCEEDED and the worker reconnects; the defaults of <see cref="SiteCallDeadlines"/> by default.</summary>
    public SiteCallDeadlines Deadlines { get; init; } = new();

    /// <summary>TEST-ONLY fault injection (<see cref="SiteFaultInjection"/>); none by default.</summary>
    public SiteFaultInjection? Faults { get; init; }

    /// <summary>
    /// Runs until the plan ends, completed or aborted (returns), or <paramref name="cancellationToken"/> fires.
    /// A lost connection is retried with <see cref="Reconnect"/>'s jittered backoff, which starts again
    /// after a connection that brought new tasks. A site that declined the plan on offer logs that once
    /// per plan and, when the aggregator ends its stream, asks for another plan only every
    /// <see cref="SiteReconnectPolicy.DeclinedPollInterval"/> (jittered), never in a loop.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled by the caller (logged as a stop; an expired <see cref="Deadlines"/> entry never ends the run, it reconnects).</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunUntilPlanEndsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SiteLog.Stopped(_logger, _agent.LastCompletedRound);
            throw;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // grpc-dotnet reports a call cancelled by the caller's token as CANCELLED: a stop all the same.
            SiteLog.Stopped(_logger, _agent.LastCompletedRound);
            throw new OperationCanceledException("the site was stopped", ex, cancellationToken);
        }
    }

    private async Task RunUntilPlanEndsAsync(CancellationToken cancellationToken)
    {
        while (!_agent.PlanEnded)
        {
            var outcome = await Reconnect.RunAsync(FollowAsync, (reason, delay) => SiteLog.Reconnecting(_logger, reason, delay), cancellationToken).ConfigureAwait(false);
            if (outcome == ConnectionOutcome.PlanEnded)
            {
                return;
            }

            if (outcome == ConnectionOutcome.Declined && _declinedPlan is { } plan)
            {
                var wait = Reconnect.NextDeclinedPoll();
                if (_waitLogged.Add(plan))
                {
                    SiteLog.DeclinedWaiting(_logger, plan, Reconnect.DeclinedPollInterval);
                }
                else
                {
                    SiteLog.DeclinedPolling(_logger, plan, wait);
                }

                await Task.Delay(wait, Reconnect.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One connection: follows the task stream until it ends, and says how it ended.</summary>
    private async ValueTask<ConnectionOutcome> FollowAsync(CancellationToken cancellationToken)
    {
        _declinedPlan = null;
        var progressed = false;
        try
        {
            await FollowStreamAsync(() => progressed = true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((_declinedPlan is not null || progressed) && !cancellationToken.IsCancellationRequested && SiteReconnectPolicy.IsConnectionError(ex))
        {
            if (_declinedPlan is not null)
            {
                // The aggregator runs a plan this site declined: however the stream ended, nothing is
                // lost by asking again only after the long poll.
                return ConnectionOutcome.Declined;
            }

            // A connection that brought new tasks broke: reconnect at once, the backoff starts again.
            SiteLog.Reconnecting(_logger, SiteReconnectPolicy.Describe(ex), TimeSpan.Zero);
            return ConnectionOutcome.Progressed;
        }

        if (!progressed && _agent.State is { Accepted: false } state)
        {
            _declinedPlan ??= state.PlanId; // nothing new offered: the aggregator still runs the plan this site declined
        }

        return _agent.PlanEnded ? ConnectionOutcome.PlanEnded
            : _declinedPlan is not null ? ConnectionOutcome.Declined
            : progressed ? ConnectionOutcome.Progressed
            : ConnectionOutcome.Closed;
    }

    private async Task FollowStreamAsync(Action progressed, CancellationToken cancellationToken)
    {
        BeforeTask?.Invoke();
        using var watchdog = new StreamWatchdog(_time, cancellationToken);
        try
        {
            await FollowStreamAsync(watchdog, progressed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (watchdog.Expired && !cancellationToken.IsCancellationRequested && ex is RpcException or OperationCanceledException)
        {
            SiteLog.DeadlineExceeded(_logger, watchdog.What, watchdog.Limit);
            throw watchdog.DeadlineExceeded();
        }
    }

    private async Task FollowStreamAsync(StreamWatchdog watchdog, Action progressed, CancellationToken cancellationToken)
    {
        // The software version travels as metadata: the aggregator shows it on its dashboard.
        var headers = new Metadata { { NodeHeaders.Version, NodeHeaders.SoftwareVersion } };
        using var call = _client.Subscribe(new SubscribeRequest { PlanId = _planId, LastCompletedRound = _agent.LastCompletedRound }, new CallOptions(headers, cancellationToken: watchdog.Token));
        watchdog.Arm("the task stream's opening", Deadlines.Subscribe);
        await call.ResponseHeadersAsync.ConfigureAwait(false); // the aggregator sends them as it accepts the stream
        watchdog.Disarm();
        SiteLog.Connected(_logger, _address);
        if (_agent.LastCountersignature is { } countersignature)
        {
            // Again on every connect: already logged is a no-op; lost in a crash, it is logged now.
            await SendAsync(SiteReply.Send(countersignature), _agent.LastCompletedRound, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            watchdog.Arm("with a next task", Deadlines.TaskIdle);
            var more = await call.ResponseStream.MoveNext(watchdog.Token).ConfigureAwait(false);
            watchdog.Disarm();
            if (!more)
            {
                return;
            }

            var task = call.ResponseStream.Current;
            SiteLog.Task(_logger, RoundOf(task), task.TaskCase.ToString());
            if (_lastTask is null || !_lastTask.Equals(task))
            {
                // A replay of the task handled last (the aggregator's due task on every connect) is no progress.
                progressed();
                _lastTask = task.Clone();
            }

            BeforeTask?.Invoke();
            Faults?.BeforeTask(task, RoundOf(task), _logger);
            SiteReply reply;
            var remembered = _agent.State;
            try
            {
                reply = _agent.Handle(task);
            }
            catch (Exception ex) when (ex is SecAggException or InvalidDataException or InvalidOperationException)
            {
                // The task breaks the protocol or does not fit this site (for example a round this
                // process never joined after a restart): answer nothing; the aggregator's deadline
                // makes this site a dropout for the round, and it is invited again to the next.
                SiteLog.Refused(_logger, RoundOf(task), ex.Message);
                continue;
            }

            if (_state is not null && _agent.State is { } state && !ReferenceEquals(state, remembered))
            {
                // Saved before the reply leaves: a site restarted after sending never forgets that it
                // joined or unmasked this round, so it cannot be led to join or unmask it twice.
                _state.Save(state);
            }

            await SendAsync(reply, RoundOf(task), cancellationToken).ConfigureAwait(false);

            if (_agent.HeadRefusal is { } headRefusal && remembered?.HeadRefusal is null)
            {
                SiteLog.HeadRefused(_logger, headRefusal);
            }

            if (task.TaskCase is SiteTask.TaskOneofCase.PlanOffer && _agent.State is { Accepted: false } decided && decided.PlanId == task.PlanOffer.PlanId)
            {
                _declinedPlan = decided.PlanId;
                if (_declineLogged.Add(decided.PlanId))
                {
                    SiteLog.PlanDeclined(_logger, decided.PlanId, _agent.LastRefusal ?? "no reason recorded");
                }
            }

            if (task.TaskCase is SiteTask.TaskOneofCase.Aborted || (task.TaskCase is SiteTask.TaskOneofCase.Invitation && _agent.LastRefusal is not null))
            {
                SiteLog.Refused(_logger, RoundOf(task), _agent.LastRefusal ?? "unknown");
            }

            if (_agent.PlanEnded)
            {
                SiteLog.Ended(_logger, _agent.LastCompletedRound, _agent.PlanCompleted);
                return;
            }
        }
    }

    /// <summary>
    /// Sends a reply. A call that fails because the message itself is refused (too large for a
    /// limit, rejected by the orchestrator, not permitted) fails the same way however often it is
    /// retried: it is logged as an error naming the status, and this site sits the round out (the
    /// phase deadline makes it a dropout) while keeping the task stream, instead of reconnecting
    /// in a loop. A broken connection or an expired <see cref="SiteCallDeadlines.Call"/> deadline
    /// propagates and reconnects.
    /// </summary>
    private async Task SendAsync(SiteReply reply, long round, CancellationToken cancellationToken)
    {
        var what = "its answer";
        // One deadline per call, from its start.
        CallOptions Options() => new(deadline: _time.GetUtcNow().UtcDateTime + Deadlines.Call, cancellationToken: cancellationToken);
        try
        {
            if (reply.MaskedInput.Count > 0)
            {
                what = "its masked update";
                await _client.UploadMaskedInputAsync(Faults?.Upload(reply.MaskedInput, round, FirstHalf, _logger) ?? reply.MaskedInput, Options()).ConfigureAwait(false);
            }

            if (reply.ProtectedInput.Count > 0)
            {
                what = "its protected update";
                await _client.UploadProtectedInputAsync(reply.ProtectedInput, Options()).ConfigureAwait(false);
            }

            foreach (var message in reply.Messages)
            {
                what = $"its {message.MessageCase} message";
                await _client.SubmitAsync(message, Options()).ConfigureAwait(false);
            }
        }
        catch (RpcException ex) when (IsRefusal(ex.StatusCode))
        {
            SiteLog.NotDelivered(_logger, round, what, ex.StatusCode, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
        {
            SiteLog.DeadlineExceeded(_logger, what, Deadlines.Call);
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"the aggregator did not answer {what} within {Deadlines.Call}"));
        }
    }

    /// <summary>A crash mid-chunk as the aggregator sees it: the chunk's first half, whole words.</summary>
    private static SecAggMaskedInputChunk FirstHalf(SecAggMaskedInputChunk chunk)
    {
        var half = chunk.Clone();
        half.Words = Google.Protobuf.ByteString.CopyFrom(chunk.Words.Span[..(Math.Max(1, chunk.Words.Length / 8) * 4)]);
        return half;
    }

    private static bool IsRefusal(StatusCode code) => code is StatusCode.ResourceExhausted or StatusCode.InvalidArgument
        or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.PermissionDenied or StatusCode.Unimplemented;

    private static long RoundOf(SiteTask task) => task.TaskCase switch
    {
        SiteTask.TaskOneofCase.Invitation => task.Invitation.Round,
        SiteTask.TaskOneofCase.AdvertisedKeys => task.AdvertisedKeys.Round,
        SiteTask.TaskOneofCase.Shares => task.Shares.Round,
        SiteTask.TaskOneofCase.Survivors => task.Survivors.Round,
        SiteTask.TaskOneofCase.Unmask => task.Unmask.Round,
        SiteTask.TaskOneofCase.Result => task.Result.Round,
        SiteTask.TaskOneofCase.Aborted => task.Aborted.Round,
        SiteTask.TaskOneofCase.CkksDecryption => task.CkksDecryption.Request.Round,
        _ => 0,
    };
}
