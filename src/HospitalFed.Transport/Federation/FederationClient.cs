using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Federation;

/// <summary>A site's client of <c>hospitalfed.v1.Federation</c>.</summary>
public sealed class FederationClient
{
    private readonly RpcChannel _channel;

    /// <summary>Creates the client over <paramref name="channel"/> (mutual TLS with the site's certificate).</summary>
    public FederationClient(RpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Opens the task stream; dispose the call to close it.</summary>
    public AsyncServerStreamingCall<SiteTask> Subscribe(SubscribeRequest request, CallOptions options = default) =>
        _channel.ServerStreaming(FederationMethods.Subscribe, request, options);

    /// <summary>Sends one protocol message.</summary>
    /// <exception cref="RpcException">The aggregator refused it (the status names why).</exception>
    public Task<SubmitReceipt> SubmitAsync(SiteMessage message, CallOptions options = default) =>
        _channel.UnaryAsync(FederationMethods.Submit, message, options);

    /// <summary>Streams the masked input chunks and waits for the receipt.</summary>
    /// <exception cref="RpcException">The aggregator refused a chunk.</exception>
    public Task<SubmitReceipt> UploadMaskedInputAsync(IEnumerable<SecAggMaskedInputChunk> chunks, CallOptions options = default) =>
        UploadAsync(FederationMethods.UploadMaskedInput, chunks, options);

    /// <summary>Streams the CKKS or plain input chunks and waits for the receipt.</summary>
    /// <exception cref="RpcException">The aggregator refused a chunk.</exception>
    public Task<SubmitReceipt> UploadProtectedInputAsync(IEnumerable<ProtectedInputChunk> chunks, CallOptions options = default) =>
        UploadAsync(FederationMethods.UploadProtectedInput, chunks, options);

    private async Task<SubmitReceipt> UploadAsync<TChunk>(Method<TChunk, SubmitReceipt> method, IEnumerable<TChunk> chunks, CallOptions options)
        where TChunk : class, Google.Protobuf.IMessage<TChunk>
    {
        ArgumentNullException.ThrowIfNull(chunks);
        using var call = _channel.ClientStreaming(method, options);
        foreach (var chunk in chunks)
        {
            await call.RequestStream.WriteAsync(chunk, options.CancellationToken).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await call.ResponseAsync.ConfigureAwait(false);
    }
}
