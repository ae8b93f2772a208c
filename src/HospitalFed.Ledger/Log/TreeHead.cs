using System.Text.Json.Nodes;

namespace HospitalFed.Ledger.Log;

/// <summary>A tree head read from a tree-head or countersignature entry: the root over the first <paramref name="Size"/> entries.</summary>
/// <param name="Size">The tree size.</param>
/// <param name="Root">The root hash (32 bytes).</param>
public sealed record TreeHead(long Size, byte[] Root)
{
    /// <summary>Reads the head from a tree-head or countersignature entry.</summary>
    /// <exception cref="FormatException">The entry is of another kind or its body is malformed.</exception>
    public static TreeHead From(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Kind is not (LogEntryKind.TreeHead or LogEntryKind.Countersignature))
        {
            throw new FormatException($"a {LogEntryKinds.Name(entry.Kind)} entry holds no tree head");
        }

        var body = entry.Body;
        if (body.Count != 2 || body["size"] is not JsonValue s || !s.TryGetValue<long>(out var size) || size < 0
            || body["root"] is not JsonValue r || !r.TryGetValue<string>(out var rootHex)
            || rootHex.Length != 64 || !rootHex.All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException("a tree head body is {\"root\": 64 lower-case hex digits, \"size\": a non-negative integer}");
        }

        return new TreeHead(size, Convert.FromHexString(rootHex));
    }
}
