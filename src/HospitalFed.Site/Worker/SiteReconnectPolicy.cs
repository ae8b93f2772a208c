using HospitalFed.Transport;
using RpcException = Grpc.Core.RpcException;
using Polly;
using Polly.Retry;

namespace HospitalFed.Site.Worker;

/// <summary>
/// How a site reconnects to the aggregator: a Polly retry with exponential backoff and decorrelated
/// jitter ("V2", Polly's <see cref="DelayBackoffType.Exponential"/> with jitter), capped at
/// <see cref="MaxDelay"/>, so that sites cut off together (an aggregator restart) do not come back
/// in lockstep; and, for a site that declined the plan on offer, a long jittered poll instead.
/// Time only through the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SiteReconnectPolicy
{
    private readonly Func<double> _random;
    private ResiliencePipeline<ConnectionOutcome>? _pipeline;
    private Action<string, TimeSpan> _onRetry = (_, _) => { };

    /// <summary>Creates the policy.</summary>
    /// <param name="time">The clock of every delay; the system clock by default.</param>
    /// <param name="random">Uniform values in [0, 1) for the jitter; a shared thread-safe generator by default (seeded only in tests).</param>
    public SiteReconnectPolicy(TimeProvider? time = null, Func<double>? random = null)
    {
        Time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The clock of every delay.</summary>
    public TimeProvider Time { get; }

    /// <summary>The median delay before the first retry; default 250 ms. Later retries grow exponentially.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between two attempts; default 30 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a site that declined the plan on offer asks again whether another plan is offered,
    /// jittered by ±25 %; default 5 minutes.
    /// </summary>
    public TimeSpan DeclinedPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <paramref name="connect"/> until it returns anything but <see cref="ConnectionOutcome.Closed"/>
    /// or fails with other than a connection error, waiting the jittered backoff before each retry.
    /// The backoff starts again at <see cref="InitialDelay"/> on every call.
    /// </summary>
    /// <param name="connect">One connection: follows the task stream until it ends.</param>
    /// <param name="onRetry">Told the reason and the delay before each retry (the worker logs it).</param>
    /// <param name="cancellationToken">Stops the retries and the delay.</param>
    /// <exception cref="OperationCanceledException">Cancelled by the caller.</exception>
    public async ValueTask<ConnectionOutcome> RunAsync(Func<CancellationToken, ValueTask<ConnectionOutcome>> connect, Action<string, TimeSpan> onRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(onRetry);
        _onRetry = onRetry;
        _pipeline ??= Build();
        return await _pipeline.ExecuteAsync(connect, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait before a site that declined the plan asks again: <see cref="DeclinedPollInterval"/> ±25 %.</summary>
    public TimeSpan NextDeclinedPoll() => DeclinedPollInterval * (0.75 + (0.5 * _random()));

    /// <summary>
    /// One line saying why a connection failed, for the reconnect log: the status and its detail
    /// (with the causes grpc-dotnet attaches, such as the TLS refusal), never an exception type name.
    /// </summary>
    public static string Describe(Exception exception) => NodeCallFailure.Describe(exception);

    /// <summary>Whether <paramref name="exception"/> is a lost or refused connection, worth a retry.</summary>
    public static bool IsConnectionError(Exception exception) =>
        exception is RpcException or HttpRequestException or IOException or InvalidOperationException;

    private ResiliencePipeline<ConnectionOutcome> Build()
    {
        if (InitialDelay <= TimeSpan.Zero || MaxDelay < InitialDelay || DeclinedPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Reconnect delays must be positive with MaxDelay ({MaxDelay}) at least InitialDelay ({InitialDelay}); DeclinedPollInterval is {DeclinedPollInterval}.");
        }

        return new ResiliencePipelineBuilder<ConnectionOutcome> { TimeProvider = Time }
            .AddRetry(new RetryStrategyOptions<ConnectionOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } ex } => !args.Context.CancellationToken.IsCancellationRequested && IsConnectionError(ex),
                    { Result: ConnectionOutcome.Closed } => true,
                    _ => false,
                }),
                MaxRetryAttempts = int.MaxValue, // never gives up; the cap and the jitter bound the rate
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = InitialDelay,
                MaxDelay = MaxDelay,
                Randomizer = _random,
                OnRetry = args =>
                {
                    _onRetry(args.Outcome.Exception is { } failure ? Describe(failure) : "the aggregator closed the task stream", args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }
}
