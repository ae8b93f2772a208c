using System.Buffers;
using System.Text.Json;

namespace HospitalFed.Ledger.Canonical;

/// <summary>
/// Checks that JSON bytes are already in <see cref="CanonicalJson"/> form, straight from a
/// <see cref="JsonDocument"/> (no node tree is built): the audit path runs this on every line.
/// </summary>
internal static class CanonicalElement
{
    /// <summary>Parses <paramref name="json"/> and returns the document if the bytes are canonical.</summary>
    /// <exception cref="FormatException">Malformed JSON, invalid UTF-8, duplicate members, or not canonical.</exception>
    public static JsonDocument ParseCanonical(ReadOnlyMemory<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw new FormatException("the line is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed JSON: {ex.Message}", ex);
        }

        try
        {
            var buffer = new ArrayBufferWriter<byte>(json.Length);
            using (var writer = CanonicalJson.CreateWriter(buffer))
            {
                Write(writer, document.RootElement);
            }

            if (!buffer.WrittenSpan.SequenceEqual(json.Span))
            {
                throw new FormatException("the line is not in canonical form");
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                string? previous = null;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (previous is not null && string.Equals(previous, property.Name, StringComparison.Ordinal))
                    {
                        throw new FormatException($"member '{property.Name}' appears twice");
                    }

                    previous = property.Name;
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                CanonicalJson.WriteNumberText(writer, element.GetRawText());
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                writer.WriteBooleanValue(element.GetBoolean());
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
