using System.Net;
using System.Net.Http.Headers;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// A request body the caller pushes messages into while the response is already being read:
/// HttpClient hands over the HTTP/2 stream, writes go straight to it, and completing the body
/// sends END_STREAM (GRPC-WIRE.md "Client-streaming").
/// </summary>
internal sealed class PushStreamContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PushStreamContent()
    {
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocolConstants.ContentType);
    }

    /// <summary>Completes when HttpClient starts sending the body.</summary>
    public Task<Stream> StreamTask => _stream.Task;

    public void Complete() => _complete.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _complete.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
