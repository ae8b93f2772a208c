using System.Buffers;
using System.Globalization;
using System.Text.Json;
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
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = CanonicalJson.CreateWriter(buffer))
        {
            // Members in ordinal order, as CanonicalJson sorts them, written directly: this runs
            // once per line on every audit, so it avoids building a JsonObject first.
            writer.WriteStartObject();
            writer.WriteString("author", entry.Author);
            writer.WritePropertyName("body");
            CanonicalJson.Write(writer, entry.Body);
            writer.WriteString("cert", Convert.ToBase64String(entry.CertificateDer));
            if (index is { } i)
            {
                writer.WriteNumber("index", i);
            }

            writer.WriteString("kind", LogEntryKinds.Name(entry.Kind));
            writer.WriteString("plan", entry.PlanId);
            writer.WriteNumber("round", entry.Round);
            writer.WriteString("sig", Convert.ToBase64String(entry.Signature));
            writer.WriteString("time", LogEntry.FormatTime(entry.Time));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one line; <paramref name="index"/> is the index found (null for a standalone entry).</summary>
    /// <exception cref="FormatException">The line is not the canonical encoding of a well-formed entry; the message says what is wrong.</exception>
    public static LogEntry Decode(ReadOnlySpan<byte> line, out long? index) => Decode(new ReadOnlyMemory<byte>(line.ToArray()), out index);

    /// <summary>Decodes one line; see <see cref="Decode(ReadOnlySpan{byte}, out long?)"/>.</summary>
    public static LogEntry Decode(ReadOnlyMemory<byte> line, out long? index)
    {
        using var document = CanonicalElement.ParseCanonical(line);
        var obj = document.RootElement;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("an entry must be a JSON object");
        }

        index = null;
        var expected = 8;
        if (obj.TryGetProperty("index", out _))
        {
            index = Integer(obj, "index");
            expected++;
        }

        if (obj.EnumerateObject().Count() != expected)
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
        if (!DateTimeOffset.TryParseExact(timeText, LogEntry.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            || !string.Equals(LogEntry.FormatTime(time), timeText, StringComparison.Ordinal))
        {
            throw new FormatException($"'time' must be UTC in the form {LogEntry.TimeFormat}");
        }

        if (!obj.TryGetProperty("body", out var bodyElement) || bodyElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("'body' must be an object");
        }

        var round = Integer(obj, "round");
        if (round < 0)
        {
            throw new FormatException("'round' must not be negative");
        }

        // The canonical check above already proves the line is exactly this entry's encoding
        // (every member is read back strictly: base64 and hex have one spelling each).
        var body = JsonObject.Create(bodyElement.Clone())!;
        return new LogEntry(kind, plan, round, Text(obj, "author"), time, body, Base64(obj, "cert"), Base64(obj, "sig"));
    }

    private static string Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new FormatException($"'{name}' must be a non-empty string");

    private static long Integer(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new FormatException($"'{name}' must be an integer");

    private static byte[] Base64(JsonElement obj, string name)
    {
        var text = Text(obj, name);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{name}' must be base64");
        }

        // Convert accepts whitespace and other spellings; the log has exactly one.
        return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal)
            ? bytes
            : throw new FormatException($"'{name}' is not in canonical base64");
    }
}
