using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// Reads gRPC length-prefixed messages from a pipe (a Kestrel request body or an HttpClient response
/// stream). Holds at most one message plus what the pipe buffered, never the whole stream.
/// </summary>
internal sealed class FrameReader
{
    private readonly PipeReader _reader;
    private readonly int _maxMessageSize;
    private readonly string? _encoding;

    /// <param name="reader">The body.</param>
    /// <param name="maxMessageSize">Largest accepted message; larger is RESOURCE_EXHAUSTED.</param>
    /// <param name="encoding">The peer's grpc-encoding header, if any.</param>
    public FrameReader(PipeReader reader, int maxMessageSize, string? encoding)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
        _encoding = encoding;
    }

    /// <summary>The next message, or <see langword="null"/> at a clean end of stream.</summary>
    /// <exception cref="RpcException">The frame is malformed, compressed, too large or cut short.</exception>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, parser, out var message))
            {
                _reader.AdvanceTo(buffer.Start);
                return message;
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                _reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return null;
                }

                // "Incomplete message": the body ended inside a frame header or payload.
                throw new RpcException(StatusCode.Internal, GrpcProtocolConstants.IncompleteMessage);
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            // Nothing consumed, everything examined: wake up only when more bytes arrive.
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads exactly one message and checks nothing follows it (unary requests and responses).</summary>
    public async ValueTask<T> ReadSingleAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var message = await ReadAsync(parser, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, GrpcProtocolConstants.IncompleteMessage);
        if (await ReadAsync(parser, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, GrpcProtocolConstants.AdditionalData);
        }

        return message;
    }

    private bool TryReadFrame<T>(ref ReadOnlySequence<byte> buffer, MessageParser<T> parser, out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        if (buffer.Length < GrpcProtocolConstants.FrameHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocolConstants.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocolConstants.FrameHeaderSize).CopyTo(header);
        CheckCompressedFlag(header[0]);

        // Checked as soon as the header arrives, so an oversized message is refused before it is buffered.
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)_maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, GrpcProtocolConstants.MessageTooLarge);
        }

        if (buffer.Length < GrpcProtocolConstants.FrameHeaderSize + length)
        {
            return false;
        }

        var payload = buffer.Slice(GrpcProtocolConstants.FrameHeaderSize, length);
        try
        {
            message = parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Error parsing the message: it is not a valid protobuf encoding of " + typeof(T).Name + "."), ex);
        }

        buffer = buffer.Slice(payload.End);
        return true;
    }

    private void CheckCompressedFlag(byte flag)
    {
        // "Compressed-Flag → 0 / 1 ; encoded as 1 byte unsigned integer".
        if (flag == 0)
        {
            return;
        }

        if (flag != 1)
        {
            throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {flag} in a message frame: it must be 0 or 1.");
        }

        // "A Compressed-Flag value of 1 indicates that the binary octet sequence of Message is compressed
        // using the mechanism declared by the Message-Encoding header."
        if (_encoding is null || string.Equals(_encoding, GrpcProtocolConstants.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Internal, "A compressed message was received without a grpc-encoding header naming its compression.");
        }

        throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{_encoding}'. Supported encodings: {GrpcProtocolConstants.IdentityEncoding}");
    }
}
