using System.Globalization;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// The JSON Lines form of an entry: one canonical JSON object per line,
/// {"author","body","cert","index","kind","plan","round","sig","time"} (no "index" for an entry
/// that travels on its own, such as an approval file). Decoding is strict: a line must be
/// exactly the canonical encoding of the entry it decodes to, so no byte of it can change
/// without changing the entry, and with it a signature or a Merkle leaf.
/// </summary>
public static class LogLine
{
    /// <summary>Encodes <paramref name="entry"/> at <paramref name="index"/> (or standalone when null).</summary>
    public static byte[] Encode(LogEntry entry, long? index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var obj = new JsonObject
        {
            ["author"] = entry.Author,
            ["body"] = entry.Body.DeepClone(),
            ["cert"] = Convert.ToBase64String(entry.CertificateDer),
            ["kind"] = LogEntryKinds.Name(entry.Kind),
            ["plan"] = entry.PlanId,
            ["round"] = entry.Round,
            ["sig"] = Convert.ToBase64String(entry.Signature),
            ["time"] = LogEntry.FormatTime(entry.Time),
        };
        if (index is { } i)
        {
            obj["index"] = i;
        }

        return CanonicalJson.Encode(obj);
    }

    /// <summary>Decodes one line; <paramref name="index"/> is the index found (null for a standalone entry).</summary>
    /// <exception cref="FormatException">The line is not the canonical encoding of a well-formed entry; the message says what is wrong.</exception>
    public static LogEntry Decode(ReadOnlySpan<byte> line, out long? index)
    {
        if (CanonicalJson.Parse(line) is not JsonObject obj)
        {
            throw new FormatException("an entry must be a JSON object");
        }

        index = null;
        var expected = 8;
        if (obj.ContainsKey("index"))
        {
            index = Integer(obj, "index");
            expected++;
        }

        if (obj.Count != expected)
        {
            throw new FormatException("unexpected or missing fields (expected author, body, cert, index, kind, plan, round, sig, time)");
        }

        var kindName = Text(obj, "kind");
        if (!LogEntryKinds.TryParse(kindName, out var kind))
        {
            throw new FormatException($"unknown entry kind '{kindName}'");
        }

        var plan = Text(obj, "plan");
        if (plan.Length != 64 || !plan.All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException("'plan' must be 64 lower-case hex digits");
        }

        var timeText = Text(obj, "time");
        if (!DateTimeOffset.TryParseExact(timeText, LogEntry.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new FormatException($"'time' must be UTC in the form {LogEntry.TimeFormat}");
        }

        var body = obj["body"] as JsonObject ?? throw new FormatException("'body' must be an object");
        var entry = new LogEntry(kind, plan, Integer(obj, "round"), Text(obj, "author"), time, body, Base64(obj, "cert"), Base64(obj, "sig"));
        if (entry.Round < 0)
        {
            throw new FormatException("'round' must not be negative");
        }

        if (!line.SequenceEqual(Encode(entry, index)))
        {
            throw new FormatException("the line is not in canonical form");
        }

        return entry;
    }

    private static string Text(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new FormatException($"'{name}' must be a non-empty string");

    private static long Integer(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<long>(out var n)
            ? n
            : throw new FormatException($"'{name}' must be an integer");

    private static byte[] Base64(JsonObject obj, string name)
    {
        try
        {
            return Convert.FromBase64String(Text(obj, name));
        }
        catch (FormatException)
        {
            throw new FormatException($"'{name}' must be base64");
        }
    }
}
