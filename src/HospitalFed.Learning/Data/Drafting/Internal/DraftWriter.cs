using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HospitalFed.Learning.Data.Drafting.Internal;

/// <summary>
/// Writes a draft schema as JSON with comments (which <see cref="ExtractSchema.Load"/> accepts):
/// a header comment listing what needs review, one comment above each column saying what was
/// seen, members in the order of samples/extract-example/admissions.schema.json.
/// </summary>
internal static class DraftWriter
{
    private static readonly JsonSerializerOptions Strings = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(
        string source, long dataLines, char delimiter, bool header, IReadOnlyList<string> missingTokens, bool skipBadRows,
        IReadOnlyList<ColumnDecision> columns, TargetSchema target, IReadOnlyList<string> review)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"// DRAFT schema for {OneLine(source)}, written by `hfed schema draft` from {dataLines} data lines.\n");
        json.Append("// Review before use:\n");
        foreach (var note in review)
        {
            json.Append("//   - ").Append(OneLine(note)).Append('\n');
        }

        json.Append("{\n");
        json.Append("  \"delimiter\": ").Append(Quote(delimiter.ToString())).Append(",\n");
        json.Append("  \"header\": ").Append(header ? "true" : "false").Append(",\n");
        json.Append("  \"missingTokens\": [").AppendJoin(", ", missingTokens.Select(Quote)).Append("],\n");
        json.Append("  \"standardize\": \"all\",\n");
        json.Append("  \"badRows\": ").Append(skipBadRows ? "\"skip\"" : "\"fail\"").Append(",\n");
        json.Append("  \"columns\": [\n");
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            json.Append("    // ").Append(OneLine($"{c.Name}: {c.Comment}")).Append('\n');
            json.Append("    { \"name\": ").Append(Quote(c.Name)).Append(", \"type\": \"").Append(JsonNamingPolicy.CamelCase.ConvertName(c.Type.ToString())).Append('"');
            if (c.Levels.Count > 0)
            {
                json.Append(", \"levels\": [").AppendJoin(", ", c.Levels.Select(Quote)).Append(']');
            }

            if (c.Minimum is { } min)
            {
                json.Append(", \"minimum\": ").Append(Number(min)).Append(", \"maximum\": ").Append(Number(c.Maximum!.Value));
            }

            if (c.Missing != MissingPolicy.Reject)
            {
                json.Append(", \"missing\": \"").Append(JsonNamingPolicy.CamelCase.ConvertName(c.Missing.ToString())).Append('"');
            }

            json.Append(" }").Append(i + 1 < columns.Count ? ",\n" : "\n");
        }

        json.Append("  ],\n");
        json.Append("  \"target\": { \"column\": ").Append(Quote(target.Column)).Append(", \"kind\": \"").Append(JsonNamingPolicy.CamelCase.ConvertName(target.Kind.ToString())).Append('"');
        if (target.GreaterThan is { } threshold)
        {
            json.Append(", \"greaterThan\": ").Append(Number(threshold));
        }

        if (target.PositiveValues.Count > 0)
        {
            json.Append(", \"positiveValues\": [").AppendJoin(", ", target.PositiveValues.Select(Quote)).Append(']');
        }

        if (target.Classes.Count > 0)
        {
            json.Append(", \"classes\": [").AppendJoin(", ", target.Classes.Select(Quote)).Append(']');
        }

        json.Append(" }\n}\n");
        return json.ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, Strings);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A comment must stay on its line: a newline in a column name would end it.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
