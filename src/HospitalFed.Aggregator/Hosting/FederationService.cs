using HospitalFed.Crypto.Identity;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// <c>hospitalfed.v1.Federation</c>: routes site connections to an <see cref="OrchestratorRunner"/>.
/// The caller's name is the one on its mutual-TLS client certificate, validated here against the
/// consortium root with the site role (the TLS layer already checked the chain).
/// </summary>
public sealed class FederationService : IRpcService
{
    private readonly OrchestratorRunner _runner;
    private readonly ConsortiumTrust _trust;
    private readonly string _planId;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public FederationService(OrchestratorRunner runner, ConsortiumTrust trust, string planId, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(trust);
        _runner = runner;
        _trust = trust;
        _planId = planId;
        _time = time ?? TimeProvider.System;
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
        var reader = _runner.Subscribe(site, request.PlanId);
        try
        {
            await foreach (var task in reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(task, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _runner.Unsubscribe(site, reader);
        }
    }

    private Task<SubmitReceipt> SubmitAsync(SiteMessage message, ServerCallContext context)
    {
        _runner.Submit(SiteOf(context), message);
        return Task.FromResult(new SubmitReceipt { PlanId = _planId });
    }

    private async Task<SubmitReceipt> UploadAsync(IAsyncEnumerable<SecAggMaskedInputChunk> chunks, ServerCallContext context)
    {
        var site = SiteOf(context);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            _runner.Upload(site, chunk);
        }

        return new SubmitReceipt { PlanId = _planId };
    }

    private async Task<SubmitReceipt> UploadProtectedAsync(IAsyncEnumerable<ProtectedInputChunk> chunks, ServerCallContext context)
    {
        var site = SiteOf(context);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            _runner.Upload(site, chunk);
        }

        return new SubmitReceipt { PlanId = _planId };
    }

    private string SiteOf(ServerCallContext context)
    {
        var certificate = context.ClientCertificate ?? throw new RpcException(StatusCode.Unauthenticated, "A site must present its client certificate.");
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
