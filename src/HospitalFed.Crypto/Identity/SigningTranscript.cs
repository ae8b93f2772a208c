using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// The exact bytes a HospitalFed signature covers: a version tag, a purpose label that
/// separates message kinds, the <see cref="MessageBinding"/> and the payload, each field
/// length-prefixed so no two distinct inputs encode alike.
/// </summary>
public static class SigningTranscript
{
    /// <summary>Size in bytes of <see cref="Hash(string, MessageBinding, ReadOnlySpan{byte})"/>.</summary>
    public const int HashSize = 32;

    private static readonly byte[] Version = "hfed/sig/v1"u8.ToArray();

    /// <summary>Encodes the transcript for <paramref name="purpose"/>, <paramref name="binding"/> and <paramref name="payload"/>.</summary>
    /// <param name="purpose">A short fixed label naming the message kind, e.g. "secagg/advertise-keys".</param>
    /// <param name="binding">Plan, round, sender and recipient.</param>
    /// <param name="payload">The message body being signed.</param>
    public static byte[] Encode(string purpose, MessageBinding binding, ReadOnlySpan<byte> payload)
    {
        using var buffer = new MemoryStream();
        WriteHeader(purpose, binding, payload.Length, buffer.Write);
        buffer.Write(payload);
        return buffer.ToArray();
    }

    /// <summary>
    /// SHA-256 of <see cref="Encode"/>'s bytes, computed without materialising them: what an
    /// ECDSA signature over the transcript signs, for payloads of megabytes.
    /// </summary>
    public static byte[] Hash(string purpose, MessageBinding binding, ReadOnlySpan<byte> payload) =>
        Hash(purpose, binding, payload, []);

    /// <summary>
    /// SHA-256 of the transcript whose payload is <paramref name="head"/> followed by
    /// <paramref name="body"/> (one length-prefixed field): the same hash as for their
    /// concatenation, without copying a large body behind a small header.
    /// </summary>
    public static byte[] Hash(string purpose, MessageBinding binding, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        WriteHeader(purpose, binding, checked(head.Length + body.Length), hash.AppendData);
        hash.AppendData(head);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private delegate void Sink(ReadOnlySpan<byte> bytes);

    // Every field but the payload's bytes, which the caller appends after this.
    private static void WriteHeader(string purpose, MessageBinding binding, int payloadLength, Sink sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(binding.PlanId);
        ArgumentNullException.ThrowIfNull(binding.Sender);
        ArgumentNullException.ThrowIfNull(binding.Recipient);

        WriteField(sink, Version);
        WriteField(sink, Encoding.UTF8.GetBytes(purpose));
        WriteField(sink, Encoding.UTF8.GetBytes(binding.PlanId));
        Span<byte> round = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(round, binding.Round);
        WriteField(sink, round);
        WriteField(sink, Encoding.UTF8.GetBytes(binding.Sender));
        WriteField(sink, Encoding.UTF8.GetBytes(binding.Recipient));
        WriteLength(sink, payloadLength);
    }

    private static void WriteField(Sink sink, ReadOnlySpan<byte> field)
    {
        WriteLength(sink, field.Length);
        sink(field);
    }

    private static void WriteLength(Sink sink, int length)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, checked((uint)length));
        sink(prefix);
    }
}
