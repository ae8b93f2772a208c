using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace HospitalFed.Transport.Internal;

/// <summary>Writes gRPC length-prefixed messages; always uncompressed (Compressed-Flag 0, no grpc-encoding).</summary>
internal static class FrameWriter
{
    /// <summary>Writes one frame into <paramref name="writer"/> without copying the message twice.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message, int maxMessageSize)
    {
        var size = CheckedSize(message, maxMessageSize);
        var header = writer.GetSpan(GrpcProtocolConstants.FrameHeaderSize);
        WriteHeader(header, size);
        writer.Advance(GrpcProtocolConstants.FrameHeaderSize);
        if (size > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>Serializes one frame into a rented buffer; the caller returns it to the pool.</summary>
    public static byte[] Rent(IMessage message, int maxMessageSize, out int length)
    {
        var size = CheckedSize(message, maxMessageSize);
        length = GrpcProtocolConstants.FrameHeaderSize + size;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        WriteHeader(buffer, size);
        message.WriteTo(buffer.AsSpan(GrpcProtocolConstants.FrameHeaderSize, size));
        return buffer;
    }

    /// <summary>Serializes one frame into a new array.</summary>
    public static byte[] ToArray(IMessage message, int maxMessageSize)
    {
        var size = CheckedSize(message, maxMessageSize);
        var frame = new byte[GrpcProtocolConstants.FrameHeaderSize + size];
        WriteHeader(frame, size);
        message.WriteTo(frame.AsSpan(GrpcProtocolConstants.FrameHeaderSize));
        return frame;
    }

    private static int CheckedSize(IMessage message, int maxMessageSize)
    {
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, GrpcProtocolConstants.SendMessageTooLarge);
        }

        return size;
    }

    private static void WriteHeader(Span<byte> header, int size)
    {
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
    }
}
