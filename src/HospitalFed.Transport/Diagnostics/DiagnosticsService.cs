using Google.Protobuf;
using Grpc.Core;
using HospitalFed.Protocol.V1;
using DiagnosticsBase = HospitalFed.Protocol.V1.Diagnostics.DiagnosticsBase;

namespace HospitalFed.Transport.Diagnostics;

/// <summary>
/// <c>hospitalfed.v1.Diagnostics</c>: echoes, counts and sums, so that a node can be checked end to end
/// with every call kind. Holds no state and touches no data; every limit below is enforced with
/// INVALID_ARGUMENT so that a caller cannot make it allocate or wait without bound.
/// </summary>
/// <param name="time">The clock for requested delays; <see cref="TimeProvider.System"/> by default.</param>
public sealed class DiagnosticsService(TimeProvider? time = null) : DiagnosticsBase
{
    /// <summary>Longest delay or interval a request may ask for, in milliseconds.</summary>
    public const uint MaxDelayMilliseconds = 60_000;

    /// <summary>Most replies a Count call may ask for.</summary>
    public const uint MaxCount = 1_000_000;

    /// <summary>Largest payload per Count reply, in bytes.</summary>
    public const uint MaxPayloadSize = 1024 * 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await DelayAsync(request.DelayMs, "delay_ms", context.CancellationToken).ConfigureAwait(false);
        ThrowIfRequested(request.ResponseStatus);
        return new EchoReply { Message = request.Message, Payload = request.Payload };
    }

    /// <inheritdoc />
    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var responses = responseStream;
        if (request.Count > MaxCount)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"count must be at most {MaxCount} (got {request.Count})."));
        }

        if (request.PayloadSize > MaxPayloadSize)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"payload_size must be at most {MaxPayloadSize} (got {request.PayloadSize})."));
        }

        // ByteString is immutable: one zero-filled payload serves every reply.
        var payload = ByteString.CopyFrom(new byte[request.PayloadSize]);
        for (uint i = 0; i < request.Count; i++)
        {
            if (i > 0)
            {
                await DelayAsync(request.IntervalMs, "interval_ms", context.CancellationToken).ConfigureAwait(false);
            }

            await responses.WriteAsync(new EchoReply { Sequence = i, Payload = payload }, context.CancellationToken).ConfigureAwait(false);
        }

        ThrowIfRequested(request.ResponseStatus);
    }

    /// <inheritdoc />
    public override async Task<SumReply> Sum(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var requests = requestStream.ReadAllAsync(context.CancellationToken);
        var reply = new SumReply();
        await foreach (var request in requests.ConfigureAwait(false))
        {
            ThrowIfRequested(request.ResponseStatus);
            reply.Messages++;
            reply.PayloadBytes += (ulong)request.Payload.Length;
        }

        return reply;
    }

    /// <inheritdoc />
    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var requests = requestStream.ReadAllAsync(context.CancellationToken);
        var responses = responseStream;
        uint sequence = 0;
        await foreach (var request in requests.ConfigureAwait(false))
        {
            await DelayAsync(request.DelayMs, "delay_ms", context.CancellationToken).ConfigureAwait(false);
            ThrowIfRequested(request.ResponseStatus);
            await responses.WriteAsync(new EchoReply { Message = request.Message, Payload = request.Payload, Sequence = sequence++ }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(uint milliseconds, string field, CancellationToken cancellationToken)
    {
        if (milliseconds > MaxDelayMilliseconds)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be at most {MaxDelayMilliseconds} (got {milliseconds})."));
        }

        return milliseconds == 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), _time, cancellationToken);
    }

    private static void ThrowIfRequested(EchoStatus? status)
    {
        if (status is null || status.Code == 0)
        {
            return;
        }

        if (status.Code is < 1 or > 16)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"response_status.code must be a gRPC status code from 0 to 16 (got {status.Code})."));
        }

        throw new RpcException(new Status((StatusCode)status.Code, status.Message));
    }
}
