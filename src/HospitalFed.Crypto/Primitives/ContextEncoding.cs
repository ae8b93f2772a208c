using System.Buffers.Binary;
using System.Text;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// Injective encoding of a label and a <see cref="MessageBinding"/> (or a list of names) into
/// bytes, used as HKDF info and as AEAD additional data: every field is length-prefixed, so
/// no two distinct contexts encode alike.
/// </summary>
internal static class ContextEncoding
{
    public static byte[] Encode(string label, MessageBinding binding)
    {
        using var buffer = new MemoryStream();
        WriteString(buffer, label);
        WriteString(buffer, binding.PlanId);
        Span<byte> round = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(round, binding.Round);
        WriteField(buffer, round);
        WriteString(buffer, binding.Sender);
        WriteString(buffer, binding.Recipient);
        return buffer.ToArray();
    }

    public static byte[] EncodeNames(string label, IEnumerable<string> names)
    {
        using var buffer = new MemoryStream();
        WriteString(buffer, label);
        foreach (var name in names)
        {
            WriteString(buffer, name);
        }

        return buffer.ToArray();
    }

    private static void WriteString(MemoryStream buffer, string value) => WriteField(buffer, Encoding.UTF8.GetBytes(value));

    private static void WriteField(MemoryStream buffer, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, checked((uint)field.Length));
        buffer.Write(length);
        buffer.Write(field);
    }
}
