using System.Globalization;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// One server call on one HTTP/2 stream: reads request frames, writes response frames, owns the
/// deadline and sends the status exactly once (in trailers, or trailers-only when no message was sent).
/// </summary>
internal sealed class HttpServerCall<TRequest, TResponse> : IServerStreamWriter<TResponse>, IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private const int Running = 0;
    private const int DeadlineFired = 1;
    private const int Finished = 2;

    // ITimer cannot wait longer than this; a later deadline is as good as none.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _http;
    private readonly Method<TRequest, TResponse> _method;
    private readonly RpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _deadlineDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FrameReader _reader;
    private readonly ITimer? _deadlineTimer;
    private int _state;
    private bool _messageWritten;

    public HttpServerCall(HttpContext http, Method<TRequest, TResponse> method, RpcServerOptions options, ILogger logger, TimeProvider time)
    {
        _http = http;
        _method = method;
        _options = options;
        _logger = logger;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        _reader = new FrameReader(http.Request.BodyReader, options.MaxReceiveMessageSize, http.Request.Headers[GrpcProtocolConstants.EncodingHeader]);

        // "If Timeout is omitted a server should assume an infinite timeout"; an invalid value is ignored.
        DateTimeOffset? deadline = null;
        var hasTimeout = GrpcTimeout.TryParse(http.Request.Headers[GrpcProtocolConstants.TimeoutHeader], out var timeout) && timeout < MaxTimerDue;
        if (hasTimeout)
        {
            deadline = time.GetUtcNow() + timeout;
        }

        Context = new ServerCallContext(http, method.FullName, deadline, _cts.Token);
        if (hasTimeout)
        {
            // Created last: a 1n timeout may fire at once.
            _deadlineTimer = time.CreateTimer(static s => ((HttpServerCall<TRequest, TResponse>)s!).OnDeadline(), this, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    public ServerCallContext Context { get; }

    public async ValueTask<TRequest> ReadSingleRequestAsync()
    {
        try
        {
            return await _reader.ReadSingleAsync(_method.RequestParser, _cts.Token).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw ClientWentAway(ex);
        }
    }

    public async IAsyncEnumerable<TRequest> ReadAllRequestsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, cancellationToken) : null;
        var token = linked?.Token ?? _cts.Token;
        while (true)
        {
            TRequest? message;
            try
            {
                message = await _reader.ReadAsync(_method.RequestParser, token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw ClientWentAway(ex);
            }

            if (message is null)
            {
                yield break;
            }

            yield return message;
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default) => WriteCoreAsync(message, flush: true, cancellationToken);

    /// <summary>Writes the single unary response; the flush happens with the trailers.</summary>
    public Task WriteUnaryResponseAsync(TResponse message) => WriteCoreAsync(message, flush: false, CancellationToken.None);

    /// <summary>Sends <paramref name="status"/> unless the deadline already ended the call.</summary>
    public async Task FinishAsync(Status status, Exception? exception)
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Running) != Running)
        {
            // The deadline owns the response: wait until it has been completed and reset.
            await _deadlineDone.Task.ConfigureAwait(false);
            return;
        }

        _deadlineTimer?.Dispose();
        if (_http.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream: whatever the handler then failed with, nobody is listening.
            ServerLog.CallCancelled(_logger, _method.FullName);
            return;
        }

        Log(status, exception);

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            WriteStatus(status);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Maps an exception that escaped the call to the status the client receives.</summary>
    public Status ToStatus(Exception exception) => exception switch
    {
        RpcException rpc => rpc.Status,
        OperationCanceledException => new Status(StatusCode.Cancelled, "The call was cancelled."),
        _ => new Status(StatusCode.Unknown, "Exception was thrown by handler."),
    };

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        if (Volatile.Read(ref _state) != DeadlineFired || _deadlineDone.Task.IsCompleted)
        {
            _cts.Dispose();
            _writeLock.Dispose();
        }
    }

    private async Task WriteCoreAsync(TResponse message, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, cancellationToken) : null;
        var token = linked?.Token ?? _cts.Token;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _state) != Running)
            {
                throw new InvalidOperationException($"Cannot write to {_method.FullName}: the call is complete.");
            }

            FrameWriter.Write(_http.Response.BodyWriter, message, _options.MaxSendMessageSize);
            _messageWritten = true;
            if (flush)
            {
                await _http.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// A request body that fails to read means the client reset the stream; Kestrel may report that
    /// before RequestAborted fires, so handlers see one exception type for both: cancellation.
    /// </summary>
    private OperationCanceledException ClientWentAway(IOException exception) =>
        new("The client reset the stream.", exception, _cts.Token);

    private void WriteStatus(Status status)
    {
        var response = _http.Response;
        var code = ((int)status.Code).ToString(CultureInfo.InvariantCulture);
        var message = status.Detail.Length > 0 ? PercentEncoding.Encode(status.Detail) : null;
        if (!_messageWritten && !response.HasStarted)
        {
            // "Trailers-Only": no message was sent, so the status travels in the only HEADERS frame.
            response.Headers[GrpcProtocolConstants.StatusHeader] = code;
            if (message is not null)
            {
                response.Headers[GrpcProtocolConstants.MessageHeader] = message;
            }

            foreach (var entry in Context.ResponseTrailers)
            {
                response.Headers.Append(entry.Key, MetadataCodec.Encode(entry));
            }

            return;
        }

        response.AppendTrailer(GrpcProtocolConstants.StatusHeader, code);
        if (message is not null)
        {
            response.AppendTrailer(GrpcProtocolConstants.MessageHeader, message);
        }

        foreach (var entry in Context.ResponseTrailers)
        {
            response.AppendTrailer(entry.Key, MetadataCodec.Encode(entry));
        }
    }

    private void OnDeadline()
    {
        if (Interlocked.CompareExchange(ref _state, DeadlineFired, Running) != Running)
        {
            return;
        }

        _ = DeadlineExceededAsync();
    }

    private async Task DeadlineExceededAsync()
    {
        ServerLog.DeadlineExceeded(_logger, _method.FullName);
        try
        {
            // Unblock the handler first: a write stuck on flow control holds the write lock.
            await _cts.CancelAsync().ConfigureAwait(false);
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                // Spec (GRPC-WIRE.md): status 4, complete the response, then RST_STREAM(CANCEL); nothing after.
                WriteStatus(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
                await _http.Response.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                if (_http.Features.Get<IHttpResetFeature>() is { } reset)
                {
                    reset.Reset(GrpcProtocolConstants.ResetStreamCancel);
                }
                else
                {
                    _http.Abort();
                }

                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            ServerLog.DeadlineCompletionFailed(_logger, _method.FullName, ex);
        }
        finally
        {
            _deadlineDone.TrySetResult();
        }
    }

    private void Log(Status status, Exception? exception)
    {
        if (status.Code == StatusCode.OK)
        {
            return;
        }

        if (exception is not null and not RpcException and not OperationCanceledException)
        {
            ServerLog.HandlerFailed(_logger, _method.FullName, exception);
        }
        else if (status.Code == StatusCode.Cancelled)
        {
            ServerLog.CallCancelled(_logger, _method.FullName);
        }
        else
        {
            ServerLog.CallFailed(_logger, _method.FullName, status.Code, status.Detail);
        }
    }
}
