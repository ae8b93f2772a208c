using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HospitalFed.Ledger.Canonical;

/// <summary>
/// The canonical JSON encoding every HospitalFed hash and signature covers, in the spirit of
/// RFC 8785 (JCS): object members sorted by ordinal key, no insignificant whitespace, UTF-8,
/// integers written as integers and other numbers in their shortest round-trip form. The
/// encoding is idempotent: canonicalising canonical bytes returns the same bytes.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // The relaxed encoder still escapes control characters and quotes, as JSON requires,
        // but leaves non-ASCII text as UTF-8 so the bytes stay stable and readable (RFC 8785 3.2.2.2).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    /// <summary>Parses <paramref name="json"/> strictly (no comments, no trailing commas, no duplicate keys).</summary>
    /// <exception cref="FormatException">The text is not a single well-formed JSON value.</exception>
    public static JsonNode Parse(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new FormatException("the text is not valid UTF-8");
        }

        try
        {
            var node = JsonNode.Parse(json, documentOptions: ReaderOptions)
                ?? throw new FormatException("JSON value is null");
            if (node is JsonObject obj)
            {
                RejectDuplicates(obj);
            }

            return node;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed JSON: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // JsonObject throws ArgumentException for a duplicated member name.
            throw new FormatException($"malformed JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Parses <paramref name="json"/> strictly; see <see cref="Parse(ReadOnlySpan{byte})"/>.</summary>
    public static JsonNode Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Returns the canonical bytes of <paramref name="node"/>.</summary>
    public static byte[] Encode(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteNode(writer, node);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses <paramref name="json"/> and returns its canonical bytes.</summary>
    /// <exception cref="FormatException">The input is not well-formed JSON.</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json) => Encode(Parse(json));

    /// <summary>Writes <paramref name="node"/> canonically into <paramref name="writer"/> (which must use <see cref="CreateWriter"/>'s options).</summary>
    internal static void Write(Utf8JsonWriter writer, JsonNode? node) => WriteNode(writer, node);

    /// <summary>Creates a writer with the canonical options over <paramref name="buffer"/>.</summary>
    internal static Utf8JsonWriter CreateWriter(System.Buffers.IBufferWriter<byte> buffer) => new(buffer, WriterOptions);

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var member in obj.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Key);
                    WriteNode(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
            default:
                throw new FormatException($"unsupported JSON node {node.GetType().Name}");
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNullValue();
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, value);
                break;
            default:
                throw new FormatException($"unsupported JSON value kind {value.GetValueKind()}");
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonValue value)
    {
        // Values may be parsed (JsonElement) or built in code (int, long, double...): their JSON
        // text is the one representation they share.
        WriteNumberText(writer, value.ToJsonString());
    }

    /// <summary>Writes a JSON number, given as its text, in canonical form.</summary>
    internal static void WriteNumberText(Utf8JsonWriter writer, string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
            return;
        }

        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw new FormatException("JSON numbers must be finite");
        }

        if (number == Math.Floor(number) && Math.Abs(number) < 9e15)
        {
            writer.WriteNumberValue((long)number); // 2.0 and 2 are one number: write it one way
            return;
        }

        writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal), skipInputValidation: true);
    }

    private static void RejectDuplicates(JsonObject obj)
    {
        // Materialising the members makes JsonObject detect duplicated names, then recurse.
        foreach (var member in obj)
        {
            switch (member.Value)
            {
                case JsonObject child:
                    RejectDuplicates(child);
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        RejectDuplicates(item);
                    }

                    break;
            }
        }
    }
}
