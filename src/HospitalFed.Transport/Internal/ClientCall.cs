using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// One client call on one HTTP/2 stream: sends the request, resolves the status from headers or
/// trailers, reads response frames, and maps local failures (deadline, cancel, connection) to statuses.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly RpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenSource _callCts;
    private readonly string? _timeoutHeader;
    private readonly CancellationTokenRegistration _abortRegistration;
    private Task<HttpResponseMessage>? _sendTask;
    private Task<bool>? _headersTask;
    private HttpResponseMessage? _response;
    private FrameReader? _reader;
    private Status? _status;
    private Metadata? _trailers;
    private int _disposed;

    public ClientCall(RpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        if (options.Deadline is { } deadline)
        {
            var time = channel.Options.TimeProvider;
            var remaining = deadline - time.GetUtcNow();
            _timeoutHeader = GrpcTimeout.Format(remaining);
            if (remaining < MaxTimerDue)
            {
                _deadlineCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
                if (remaining <= TimeSpan.Zero)
                {
                    _deadlineCts.Cancel();
                }
                else
                {
                    _deadlineCts.CancelAfter(remaining);
                }
            }
        }

        _callCts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, _deadlineCts?.Token ?? CancellationToken.None);

        // Before headers the token aborts the send; after them only disposing the response resets the
        // stream (RST_STREAM CANCEL), so do that the moment the call is cancelled or times out.
        _abortRegistration = _callCts.Token.UnsafeRegister(static state => ((ClientCall<TRequest, TResponse>)state!).AbortResponse(), this);
    }

    public CancellationToken CallToken => _callCts.Token;

    public Task<bool> HeadersTask => _headersTask ?? throw new InvalidOperationException("The call has not started.");

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call is still in progress.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("The call is still in progress.");

    public void Start(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.TeHeader, GrpcProtocolConstants.TeTrailers);
        request.Headers.TryAddWithoutValidation("user-agent", ClientConstants.UserAgent);
        if (_timeoutHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.TimeoutHeader, _timeoutHeader);
        }

        foreach (var entry in _options.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(entry.Key, MetadataCodec.Encode(entry));
        }

        _sendTask = _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callCts.Token);
        _headersTask = ReadHeadersAsync();

        // A streaming call may be disposed without its responses ever being read: observe the
        // failure here so it is not reported as an unobserved task exception.
        _headersTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The response of a unary or client-streaming call: exactly one message, then OK.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadNextAsync(CancellationToken.None).ConfigureAwait(false)
            ?? throw Finish(new Status(StatusCode.Internal, ClientConstants.EmptyUnaryResponse), _trailers, replaceOk: true)!;
        if (await ReadNextAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw Finish(new Status(StatusCode.Internal, GrpcProtocolConstants.AdditionalData), null)!;
        }

        return message;
    }

    /// <summary>The next response, or <see langword="null"/> once the call ended with OK.</summary>
    public async ValueTask<TResponse?> ReadNextAsync(CancellationToken cancellationToken)
    {
        var hasBody = await HeadersTask.ConfigureAwait(false);
        if (_status is { Code: not StatusCode.OK } failed)
        {
            // The call already failed (a write, a cancel, a dispose): never report that as a clean end.
            throw new RpcException(failed);
        }

        if (!hasBody || _status is not null)
        {
            return null;
        }

        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_callCts.Token, cancellationToken) : null;
        try
        {
            if (await _reader!.ReadAsync(_method.ResponseParser, linked?.Token ?? _callCts.Token).ConfigureAwait(false) is { } message)
            {
                return message;
            }
        }
        catch (RpcException ex)
        {
            throw Finish(ex.Status, null)!;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            throw Fail(ex, cancellationToken);
        }

        var status = ClientStatusResolver.FromTrailers(_response!);
        var error = Finish(status, MetadataCodec.FromHeaders(_response!.TrailingHeaders));
        return error is null ? null : throw error;
    }

    /// <summary>The exception a failed request-stream write surfaces: the call's own status when it is known.</summary>
    public async Task<RpcException> FailWriteAsync(Exception exception, CancellationToken writeToken)
    {
        if (_status is { Code: not StatusCode.OK } status)
        {
            return new RpcException(status, exception);
        }

        if (_callCts.IsCancellationRequested || writeToken.IsCancellationRequested)
        {
            return Fail(exception, writeToken);
        }

        // The server stopped reading (for example it already answered RESOURCE_EXHAUSTED): its headers say why.
        try
        {
            await HeadersTask.WaitAsync(_callCts.Token).ConfigureAwait(false);
        }
        catch (RpcException fromHeaders)
        {
            return fromHeaders;
        }
        catch (OperationCanceledException)
        {
            return Fail(exception, writeToken);
        }

        return _status is { Code: not StatusCode.OK } final
            ? new RpcException(final, exception)
            : new RpcException(new Status(StatusCode.Unavailable, "The server closed the request stream; the call's response carries its status."), exception);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_status is null)
        {
            // Before headers this aborts the send; after, disposing the response resets the stream (RST_STREAM CANCEL).
            _status = new Status(StatusCode.Cancelled, "The call was disposed before it completed.");
            _callCts.Cancel();
        }

        _abortRegistration.Dispose();
        Volatile.Read(ref _response)?.Dispose();
        _callCts.Dispose();
        _deadlineCts?.Dispose();
    }

    private void AbortResponse() => Volatile.Read(ref _response)?.Dispose();

    private async Task<bool> ReadHeadersAsync()
    {
        try
        {
            Volatile.Write(ref _response, await _sendTask!.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            throw Fail(ex, CancellationToken.None);
        }

        if (_callCts.IsCancellationRequested)
        {
            _response.Dispose(); // cancelled while the headers were arriving: reset the stream
        }

        if (ClientStatusResolver.FromHeaders(_response) is { } status)
        {
            // Trailers-only (or not a gRPC response at all): nothing to read.
            var error = Finish(status, MetadataCodec.FromHeaders(_response.Headers));
            return error is null ? false : throw error;
        }

        try
        {
            var body = await _response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
            var encoding = _response.Headers.NonValidated.TryGetValues(GrpcProtocolConstants.EncodingHeader, out var values) ? values.ToString() : null;
            _reader = new FrameReader(PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024)), _channel.Options.MaxReceiveMessageSize, encoding);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            throw Fail(ex, CancellationToken.None);
        }
    }

    /// <summary>Records the final status; returns the exception to throw when it is not OK.</summary>
    private RpcException? Finish(Status status, Metadata? trailers, bool replaceOk = false)
    {
        if (replaceOk && _status is { Code: StatusCode.OK })
        {
            _status = status;
        }

        _status ??= status;
        _trailers ??= trailers ?? [];
        if (_status.Value.Code == StatusCode.OK)
        {
            return null;
        }

        // Stop sending: the server no longer reads this stream.
        _callCts.Cancel();
        return new RpcException(_status.Value);
    }

    private RpcException Fail(Exception exception, CancellationToken readToken)
    {
        Status status;
        if (_deadlineCts?.IsCancellationRequested == true)
        {
            status = new Status(StatusCode.DeadlineExceeded, ClientConstants.DeadlineExceeded);
        }
        else if (_options.CancellationToken.IsCancellationRequested || readToken.IsCancellationRequested || Volatile.Read(ref _disposed) == 1)
        {
            status = new Status(StatusCode.Cancelled, ClientConstants.Cancelled);
        }
        else if (_response is null)
        {
            status = new Status(StatusCode.Unavailable, _channel.DescribeConnectionFailure(exception));
        }
        else if (exception is HttpProtocolException { ErrorCode: GrpcProtocolConstants.ResetStreamCancel })
        {
            status = new Status(StatusCode.Cancelled, "The server reset the stream (HTTP/2 CANCEL).");
        }
        else
        {
            status = new Status(StatusCode.Unavailable, "Error reading the response: " + ExceptionChain.Innermost(exception).Message);
        }

        _status ??= status;
        _trailers ??= [];
        _callCts.Cancel();
        return new RpcException(status, exception);
    }
}
