using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// Reads typed values out of a training plan's JSON with one error style: every failure is a
/// <see cref="FormatException"/> whose message names the field's JSON path and the value found,
/// e.g. <c>plan field 'hyperparameters.learningRate' must be a positive number, got "fast"</c>.
/// </summary>
public static class PlanFields
{
    /// <summary>Joins a parent path and a member name ("" + "rounds" = "rounds").</summary>
    public static string Path(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>Rejects any member of <paramref name="obj"/> not in <paramref name="known"/>.</summary>
    /// <exception cref="FormatException">An unknown member; the message names it and the known ones.</exception>
    public static void RejectUnknown(JsonObject obj, string path, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(known);
        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name))
            {
                throw new FormatException($"plan field '{Path(path, name)}' is not a known field (known here: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    /// <summary>The object member <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">Missing or not an object.</exception>
    public static JsonObject Object(JsonObject parent, string path, string name) =>
        Required(parent, path, name) as JsonObject ?? throw Invalid(parent, path, name, "must be an object");

    /// <summary>The string member <paramref name="name"/>, which must be one of <paramref name="allowed"/>; <paramref name="fallback"/> when absent (null = required).</summary>
    /// <exception cref="FormatException">Missing (and required), not a string, or not allowed.</exception>
    public static string Choice(JsonObject parent, string path, string name, IReadOnlyList<string> allowed, string? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (!parent.ContainsKey(name) && fallback is not null)
        {
            return fallback;
        }

        return Required(parent, path, name) is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.Contains(v.GetValue<string>())
            ? v.GetValue<string>()
            : throw Invalid(parent, path, name, $"must be {string.Join(" or ", allowed.Select(a => $"\"{a}\""))}");
    }

    /// <summary>The boolean member <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">Missing or not true/false.</exception>
    public static bool Boolean(JsonObject parent, string path, string name) =>
        Required(parent, path, name) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Invalid(parent, path, name, "must be true or false");

    /// <summary>The integer member <paramref name="name"/> in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when absent (null = required).</summary>
    /// <exception cref="FormatException">Missing (and required), not an integer, or out of range.</exception>
    public static long Integer(JsonObject parent, string path, string name, long min, long max, long? fallback = null)
    {
        if (!parent.ContainsKey(name) && fallback is not null)
        {
            return fallback.Value;
        }

        return Required(parent, path, name) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && v.GetValue<JsonElement>().TryGetInt64(out var n) && n >= min && n <= max
            ? n
            : throw Invalid(parent, path, name, string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}"));
    }

    /// <summary>
    /// The number member <paramref name="name"/>, finite, in [<paramref name="min"/>, <paramref name="max"/>)
    /// (or (min, max) when <paramref name="minExclusive"/>), and representable as a float of the
    /// same sign; <paramref name="fallback"/> when absent (null = required).
    /// </summary>
    /// <exception cref="FormatException">Missing (and required), not a number, or out of range; the message says <paramref name="rule"/>.</exception>
    public static float Number(JsonObject parent, string path, string name, string rule, double min, bool minExclusive, double max, float? fallback = null)
    {
        if (!parent.ContainsKey(name) && fallback is not null)
        {
            return fallback.Value;
        }

        if (Required(parent, path, name) is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var d = v.GetValue<JsonElement>().GetDouble();
            var f = (float)d;
            if (double.IsFinite(d) && float.IsFinite(f) && (minExclusive ? d > min && f > min : d >= min) && d < max)
            {
                return f;
            }
        }

        throw Invalid(parent, path, name, rule);
    }

    /// <summary>
    /// The number member <paramref name="name"/> at double precision (for values an approval must
    /// cover exactly, such as a privacy budget), finite, in (<paramref name="min"/>, <paramref name="max"/>];
    /// <paramref name="fallback"/> when absent (null = required).
    /// </summary>
    /// <exception cref="FormatException">Missing (and required), not a number, or out of range; the message says <paramref name="rule"/>.</exception>
    public static double Real(JsonObject parent, string path, string name, string rule, double min, double max, double? fallback = null)
    {
        if (!parent.ContainsKey(name) && fallback is not null)
        {
            return fallback.Value;
        }

        if (Required(parent, path, name) is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var d = v.GetValue<JsonElement>().GetDouble();
            if (double.IsFinite(d) && d > min && d <= max)
            {
                return d;
            }
        }

        throw Invalid(parent, path, name, rule);
    }

    /// <summary>The error for a member that is present but does not apply here (e.g. momentum with Adam).</summary>
    public static FormatException NotApplicable(string path, string name, string why) =>
        new($"plan field '{Path(path, name)}' does not apply {why}; remove it");

    /// <summary>The member's JSON text for an error message ("null" for a JSON null), cut at 60 characters.</summary>
    public static string Shown(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        var text = value.ToJsonString();
        return text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
    }

    private static JsonNode Required(JsonObject parent, string path, string name)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (!parent.TryGetPropertyValue(name, out var value))
        {
            throw new FormatException($"plan field '{Path(path, name)}' is missing");
        }

        return value ?? throw new FormatException($"plan field '{Path(path, name)}' must not be null");
    }

    private static FormatException Invalid(JsonObject parent, string path, string name, string rule) =>
        new($"plan field '{Path(path, name)}' {rule}, got {Shown(parent[name])}");
}
