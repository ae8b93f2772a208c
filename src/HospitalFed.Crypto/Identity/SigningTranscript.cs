using System.Buffers.Binary;
using System.Text;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// The exact bytes a HospitalFed signature covers: a version tag, a purpose label that
/// separates message kinds, the <see cref="MessageBinding"/> and the payload, each field
/// length-prefixed so no two distinct inputs encode alike.
/// </summary>
public static class SigningTranscript
{
    private static readonly byte[] Version = "hfed/sig/v1"u8.ToArray();

    /// <summary>Encodes the transcript for <paramref name="purpose"/>, <paramref name="binding"/> and <paramref name="payload"/>.</summary>
    /// <param name="purpose">A short fixed label naming the message kind, e.g. "secagg/advertise-keys".</param>
    /// <param name="binding">Plan, round, sender and recipient.</param>
    /// <param name="payload">The message body being signed.</param>
    public static byte[] Encode(string purpose, MessageBinding binding, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(binding.PlanId);
        ArgumentNullException.ThrowIfNull(binding.Sender);
        ArgumentNullException.ThrowIfNull(binding.Recipient);

        using var buffer = new MemoryStream();
        WriteField(buffer, Version);
        WriteField(buffer, Encoding.UTF8.GetBytes(purpose));
        WriteField(buffer, Encoding.UTF8.GetBytes(binding.PlanId));
        Span<byte> round = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(round, binding.Round);
        WriteField(buffer, round);
        WriteField(buffer, Encoding.UTF8.GetBytes(binding.Sender));
        WriteField(buffer, Encoding.UTF8.GetBytes(binding.Recipient));
        WriteField(buffer, payload);
        return buffer.ToArray();
    }

    private static void WriteField(MemoryStream buffer, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, checked((uint)field.Length));
        buffer.Write(length);
        buffer.Write(field);
    }
}
