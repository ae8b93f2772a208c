using Grpc.Core;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Federation;

/// <summary>
/// The client-streaming uploads of <c>hospitalfed.v1.Federation</c> as one call each on the generated
/// <see cref="Protocol.V1.Federation.FederationClient"/>: write every chunk, complete, await the receipt.
/// Every other Federation call is the generated client's own method.
/// </summary>
public static class FederationUploads
{
    /// <summary>Streams the masked input chunks and waits for the receipt.</summary>
    /// <param name="client">The generated client.</param>
    /// <param name="chunks">The chunks, in order.</param>
    /// <param name="options">Deadline, headers, cancellation.</param>
    /// <returns>The aggregator's receipt.</returns>
    /// <exception cref="RpcException">The aggregator refused a chunk (its status, not the failed write), or the call failed.</exception>
    public static Task<SubmitReceipt> UploadMaskedInputAsync(this Protocol.V1.Federation.FederationClient client, IEnumerable<SecAggMaskedInputChunk> chunks, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return UploadAsync(client.UploadMaskedInput(options), chunks, options.CancellationToken);
    }

    /// <summary>Streams the CKKS or plain input chunks and waits for the receipt.</summary>
    /// <param name="client">The generated client.</param>
    /// <param name="chunks">The chunks, in order.</param>
    /// <param name="options">Deadline, headers, cancellation.</param>
    /// <returns>The aggregator's receipt.</returns>
    /// <exception cref="RpcException">The aggregator refused a chunk (its status, not the failed write), or the call failed.</exception>
    public static Task<SubmitReceipt> UploadProtectedInputAsync(this Protocol.V1.Federation.FederationClient client, IEnumerable<ProtectedInputChunk> chunks, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return UploadAsync(client.UploadProtectedInput(options), chunks, options.CancellationToken);
    }

    private static async Task<SubmitReceipt> UploadAsync<TChunk>(AsyncClientStreamingCall<TChunk, SubmitReceipt> opened, IEnumerable<TChunk> chunks, CancellationToken cancellationToken)
        where TChunk : Google.Protobuf.IMessage
    {
        using var call = opened;
        ArgumentNullException.ThrowIfNull(chunks);
        try
        {
            long bytes = 0;
            foreach (var chunk in chunks)
            {
                await call.RequestStream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                bytes += chunk.CalculateSize();
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            Telemetry.HospitalFedTelemetry.Bytes.Add(bytes, new System.Diagnostics.TagList { { Telemetry.HospitalFedTelemetry.Tags.Direction, "sent" }, { Telemetry.HospitalFedTelemetry.Tags.Kind, "upload" } });
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException && call.ResponseAsync.IsCompleted)
        {
            // The aggregator ended the call first (a refused chunk): its status says why, not the failed write.
            await call.ResponseAsync.ConfigureAwait(false);
            throw;
        }

        return await call.ResponseAsync.ConfigureAwait(false);
    }
}
