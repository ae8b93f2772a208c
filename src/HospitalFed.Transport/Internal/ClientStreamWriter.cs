using System.Buffers;
using Google.Protobuf;

namespace HospitalFed.Transport.Internal;

/// <summary>Writes request frames into the HTTP/2 request body, one flushed frame per message.</summary>
internal sealed class ClientStreamWriter<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly PushStreamContent _content;
    private readonly int _maxMessageSize;
    private int _writing;
    private bool _completed;

    public ClientStreamWriter(ClientCall<TRequest, TResponse> call, PushStreamContent content, int maxMessageSize)
    {
        _call = call;
        _content = content;
        _maxMessageSize = maxMessageSize;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("Only one write can be pending at a time on a request stream.");
        }

        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("The request stream is already complete.");
            }

            var frame = FrameWriter.Rent(message, _maxMessageSize, out var length);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_call.CallToken, cancellationToken);
            try
            {
                var stream = await _content.StreamTask.WaitAsync(linked.Token).ConfigureAwait(false);
                await stream.WriteAsync(frame.AsMemory(0, length), linked.Token).ConfigureAwait(false);
                await stream.FlushAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
                throw await _call.FailWriteAsync(ex, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteAsync()
    {
        _completed = true;
        _content.Complete();
        return Task.CompletedTask;
    }
}
