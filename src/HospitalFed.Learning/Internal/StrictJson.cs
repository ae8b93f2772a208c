using System.Text.Json;
using System.Text.Json.Serialization;
using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Internal;

/// <summary>
/// The one JSON reading policy for hand-written Learning documents (schemas, configurations):
/// camelCase, comments and trailing commas allowed, unknown properties and numeric enum values
/// refused so that a typo fails loudly instead of silently taking a default.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Deserialises <paramref name="json"/>; <paramref name="document"/> names it in errors ("Schema").</summary>
    /// <exception cref="SchemaException">The JSON is malformed, has an unknown property, or is null.</exception>
    public static T Parse<T>(string json, string document)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{document} JSON is invalid at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}", e);
        }

        return value ?? throw new SchemaException($"{document} JSON is null.");
    }
}
