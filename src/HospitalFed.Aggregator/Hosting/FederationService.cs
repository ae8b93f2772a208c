using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// <c>hospitalfed.v1.Federation</c>: routes site connections to an <see cref="OrchestratorRunner"/>.
/// The caller's name is the one on its mutual-TLS client certificate, validated here against the
/// consortium root with the site role (the TLS layer already checked the chain), against the
/// CRL in force at each call: a site revoked while connected is refused from its next call on.
/// </summary>
public sealed class FederationService : IRpcService
{
    private readonly OrchestratorRunner _runner;
    private readonly ConsortiumTrust _trust;
    private readonly string _planId;
    private readonly TimeProvider _time;
    private readonly Action? _refreshRevocation;
    private readonly ConcurrentDictionary<CancellationTokenSource, (string Site, X509Certificate2 Certificate)> _streams = new();
    private readonly UploadSpool _spool;

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
    public FederationService(OrchestratorRunner runner, ConsortiumTrust trust, string planId, TimeProvider? time = null, Action? refreshRevocation = null, string? spoolDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(trust);
        _runner = runner;
        _trust = trust;
        _planId = planId;
        _time = time ?? TimeProvider.System;
        _refreshRevocation = refreshRevocation;
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

    /// <inheritdoc />
    public void Bind(RpcServiceBinder binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddServerStreaming<SubscribeRequest, SiteTask>(FederationMethods.Subscribe, SubscribeAsync);
        binder.AddUnary<SiteMessage, SubmitReceipt>(FederationMethods.Submit, SubmitAsync);
        binder.AddClientStreaming<SecAggMaskedInputChunk, SubmitReceipt>(FederationMethods.UploadMaskedInput, UploadAsync);
        binder.AddClientStreaming<ProtectedInputChunk, SubmitReceipt>(FederationMethods.UploadProtectedInput, UploadProtectedAsync);
    }

    private async Task SubscribeAsync(SubscribeRequest request, IServerStreamWriter<SiteTask> responses, ServerCallContext context)
    {
        var site = SiteOf(context);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        _streams[stream] = (site, context.ClientCertificate!);
        var reader = _runner.Subscribe(site, request.PlanId);
        try
        {
            await foreach (var task in reader.ReadAllAsync(stream.Token).ConfigureAwait(false))
            {
                await responses.WriteAsync(task, stream.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(StatusCode.PermissionDenied, "This site's certificate has been revoked by the consortium.");
        }
        finally
        {
            _streams.TryRemove(stream, out _);
            _runner.Unsubscribe(site, reader);
        }
    }

    private Task<SubmitReceipt> SubmitAsync(SiteMessage message, ServerCallContext context)
    {
        _runner.Submit(SiteOf(context), message);
        return Task.FromResult(new SubmitReceipt { PlanId = _planId });
    }

    private Task<SubmitReceipt> UploadAsync(IAsyncEnumerable<SecAggMaskedInputChunk> chunks, ServerCallContext context) =>
        SpoolAsync(chunks, SecAggMaskedInputChunk.Parser, _runner.Upload, context);

    private Task<SubmitReceipt> UploadProtectedAsync(IAsyncEnumerable<ProtectedInputChunk> chunks, ServerCallContext context) =>
        SpoolAsync(chunks, ProtectedInputChunk.Parser, _runner.Upload, context);

    /// <summary>
    /// Spools the whole client stream first and hands it to the orchestrator only once it completed:
    /// a stream cut part-way (a crash, a lost connection) is discarded and logged, and the site
    /// counts as silent in the input phase, so the round goes on without it.
    /// </summary>
    private async Task<SubmitReceipt> SpoolAsync<T>(IAsyncEnumerable<T> chunks, Google.Protobuf.MessageParser<T> parser, Action<string, IEnumerable<T>> replay, ServerCallContext context)
        where T : Google.Protobuf.IMessage<T>
    {
        var site = SiteOf(context);
        using var upload = _spool.Begin();
        try
        {
            await foreach (var chunk in chunks.ConfigureAwait(false))
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
        return new SubmitReceipt { PlanId = _planId };
    }

    private string SiteOf(ServerCallContext context)
    {
        var certificate = context.ClientCertificate ?? throw new RpcException(StatusCode.Unauthenticated, "A site must present its client certificate.");
        _refreshRevocation?.Invoke();
        try
        {
            return _trust.Validate(certificate, ConsortiumRole.Site, _time.GetUtcNow()).Name;
        }
        catch (IdentityException ex)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"The client certificate is not a consortium site's: {ex.Message}");
        }
    }
}
