using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using Grpc.Core;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Telemetry;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// <c>hospitalfed.v1.Federation</c>: routes site connections to an <see cref="OrchestratorRunner"/>.
/// The caller's name is the one on its mutual-TLS client certificate, validated here against the
/// consortium root with the site role (the TLS layer already checked the chain), against the
/// CRL in force at each call: a site revoked while connected is refused from its next call on.
/// </summary>
public sealed class FederationService : Federation.FederationBase
{
    private readonly OrchestratorRunner _runner;
    private readonly ConsortiumTrust _trust;
    private readonly string _planId;
    private readonly TimeProvider _time;
    private readonly Action? _refreshRevocation;
    private readonly AggregatorFederationStatus? _status;
    private readonly ConcurrentDictionary<CancellationTokenSource, (string Site, X509Certificate2 Certificate)> _streams = new();
    private readonly UploadSpool _spool;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _streamsClosed = Completed();
    private int _openStreams;

    /// <summary>Creates the service.</summary>
    /// <param name="runner">The orchestrator's runner.</param>
    /// <param name="trust">The consortium trust (its revocation source may change while running).</param>
    /// <param name="planId">The plan served.</param>
    /// <param name="time">The clock of trust decisions; the system clock by default.</param>
    /// <param name="refreshRevocation">Called before each trust decision to take a re-issued CRL into force; none by default.</param>
    /// <param name="spoolDirectory">
    /// Where uploads wait (owner-only files) until their stream completed whole; created if missing.
    /// A new private temporary directory by default.
    /// </param>
    /// <param name="status">The live status the host's dashboard shows (connections, last calls, versions); none by default.</param>
    public FederationService(OrchestratorRunner runner, ConsortiumTrust trust, string planId, TimeProvider? time = null, Action? refreshRevocation = null, string? spoolDirectory = null, AggregatorFederationStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(trust);
        _runner = runner;
        _trust = trust;
        _planId = planId;
        _time = time ?? TimeProvider.System;
        _refreshRevocation = refreshRevocation;
        _status = status;
        _spool = new UploadSpool(spoolDirectory ?? System.IO.Directory.CreateTempSubdirectory("hfed-uploads-").FullName);
    }

    /// <summary>
    /// Ends the task stream of every subscribed site whose certificate is no longer valid now
    /// (revoked since it connected): the orchestrator then counts it disconnected and does not
    /// invite it again. Returns the sites ended, with their certificate serials.
    /// </summary>
    public IReadOnlyList<(string Site, string SerialNumber)> EvictRevoked()
    {
        var evicted = new List<(string, string)>();
        foreach (var (stream, (site, certificate)) in _streams)
        {
            try
            {
                _trust.Validate(certificate, ConsortiumRole.Site, _time.GetUtcNow());
            }
            catch (IdentityException)
            {
                evicted.Add((site, certificate.SerialNumber));
                stream.Cancel();
            }
        }

        return evicted;
    }

    /// <summary>
    /// Completes once no task stream is open: after the plan ended, every connected site has then
    /// been sent its last task (the runner completes each queue after the final result or abort).
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the host's shutdown timeout).</param>
    public Task WhenStreamsClosedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _streamsClosed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Ends every open task stream now with UNAVAILABLE (the host stops before the plan ended), so
    /// that the shutdown does not wait for streams that would otherwise stay open.
    /// </summary>
    public void EndStreams() => _shutdown.Cancel();

    /// <inheritdoc />
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SiteTask> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var (site, certificate) = SiteOf(context);
        var reader = _runner.Subscribe(site, request.PlanId);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        _streams[stream] = (site, certificate);
        using var shutdown = _shutdown.Token.Register(stream.Cancel);
        Opened();
        _status?.Connected(site, context.RequestHeaders.GetValue(NodeHeaders.Version) is { } version ? NodeHeaders.Sanitise(version) : null);
        try
        {
            // Headers at once: the site bounds the wait for them (its subscribeTimeoutSeconds), and a
            // stream may then stay silent until the next task is due.
            await context.WriteResponseHeadersAsync(new Metadata()).ConfigureAwait(false);
            await foreach (var task in reader.ReadAllAsync(stream.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(task, stream.Token).ConfigureAwait(false);
                HospitalFedTelemetry.Bytes.Add(task.CalculateSize(), new TagList { { HospitalFedTelemetry.Tags.Direction, "sent" }, { HospitalFedTelemetry.Tags.Kind, "task" } });
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // UNAVAILABLE, not a refusal: the site retries and resumes with the restarted aggregator.
            throw new RpcException(new Status(StatusCode.Unavailable, "The aggregator is shutting down."));
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "This site's certificate has been revoked by the consortium."));
        }
        finally
        {
            _streams.TryRemove(stream, out _);
            _runner.Unsubscribe(site, reader);
            _status?.Disconnected(site);
            Closed();
        }
    }

    /// <inheritdoc />
    public override Task<SubmitReceipt> Submit(SiteMessage request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        _runner.Submit(SiteOf(context).Site, request);
        HospitalFedTelemetry.Bytes.Add(request.CalculateSize(), new TagList { { HospitalFedTelemetry.Tags.Direction, "received" }, { HospitalFedTelemetry.Tags.Kind, "message" } });
        return Task.FromResult(new SubmitReceipt { PlanId = _planId });
    }

    /// <inheritdoc />
    public override Task<SubmitReceipt> UploadMaskedInput(IAsyncStreamReader<SecAggMaskedInputChunk> requestStream, ServerCallContext context) =>
        SpoolAsync(requestStream, SecAggMaskedInputChunk.Parser, _runner.Upload, context);

    /// <inheritdoc />
    public override Task<SubmitReceipt> UploadProtectedInput(IAsyncStreamReader<ProtectedInputChunk> requestStream, ServerCallContext context) =>
        SpoolAsync(requestStream, ProtectedInputChunk.Parser, _runner.Upload, context);

    /// <summary>
    /// Spools the whole client stream first and hands it to the orchestrator only once it completed:
    /// a stream cut part-way (a crash, a lost connection) is discarded and logged, and the site
    /// counts as silent in the input phase, so the round goes on without it.
    /// </summary>
    private async Task<SubmitReceipt> SpoolAsync<T>(IAsyncStreamReader<T> chunks, Google.Protobuf.MessageParser<T> parser, Action<string, IEnumerable<T>> replay, ServerCallContext context)
        where T : Google.Protobuf.IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(context);
        var site = SiteOf(context).Site;
        using var upload = _spool.Begin();
        try
        {
            await foreach (var chunk in chunks.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                upload.Write(chunk);
            }
        }
        catch
        {
            // Whatever broke the stream (reset, lost connection, a refused message), it is not whole.
            _runner.DiscardUpload(site, upload.Bytes);
            throw;
        }

        replay(site, upload.Replay(parser));
        HospitalFedTelemetry.Bytes.Add(upload.Bytes, new TagList { { HospitalFedTelemetry.Tags.Direction, "received" }, { HospitalFedTelemetry.Tags.Kind, "upload" } });
        return new SubmitReceipt { PlanId = _planId };
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private void Opened()
    {
        lock (_gate)
        {
            if (_openStreams++ == 0)
            {
                _streamsClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Closed()
    {
        lock (_gate)
        {
            if (--_openStreams == 0)
            {
                _streamsClosed.TrySetResult();
            }
        }
    }

    /// <summary>The calling site: the name on its mutual-TLS client certificate, validated now.</summary>
    private (string Site, X509Certificate2 Certificate) SiteOf(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "A site must present its client certificate."));
        _refreshRevocation?.Invoke();
        try
        {
            var site = _trust.Validate(certificate, ConsortiumRole.Site, _time.GetUtcNow()).Name;
            _status?.Seen(site);
            return (site, certificate);
        }
        catch (IdentityException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The client certificate is not a consortium site's: {ex.Message}"));
        }
    }
}
