using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace HospitalFed.Learning.Data.Internal;

/// <summary>
/// Parses one extract line by line against a schema. Fields are matched as UTF-8 bytes and
/// numbers parsed straight from bytes, so no string is created per field.
/// </summary>
internal sealed partial class ExtractParser
{
    private readonly ExtractSchema _schema;
    private readonly string _source;
    private readonly byte _delimiter;
    private readonly CompiledColumn[] _columns;
    private readonly byte[][] _missingTokens;
    private readonly int _targetIndex;
    private readonly int[] _featureSlot;
    private readonly FieldRange[] _fields;
    private byte[] _scratch = new byte[1024];

    public ExtractParser(ExtractSchema schema, string source)
    {
        _schema = schema;
        _source = source;
        _delimiter = (byte)schema.Delimiter[0];
        _targetIndex = schema.TargetIndex;
        _columns = [.. schema.Columns.Select((c, i) => new CompiledColumn(c, i == _targetIndex ? TargetLevels(schema.Target) : c.Levels))];
        _missingTokens = [.. schema.MissingTokens.Select(t => Encoding.UTF8.GetBytes(t.Trim()))];
        _featureSlot = Enumerable.Repeat(-1, schema.Columns.Count).ToArray();
        var features = schema.FeatureIndices;
        for (var slot = 0; slot < features.Length; slot++)
        {
            _featureSlot[features[slot]] = slot;
        }

        _fields = new FieldRange[schema.Columns.Count + 1];
    }

    public int FeatureColumnCount => _schema.FeatureIndices.Length;

    /// <summary>Parses an invariant-culture number; plain decimals take an exact fast path.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<byte> text, out double value) =>
        PlainDecimal.TryParse(text, out value)
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value));

    /// <summary>Checks a header line names the schema's columns in order.</summary>
    public RowError? CheckHeader(ReadOnlySpan<byte> line, int lineNumber)
    {
        if (Validate(line, lineNumber) is { } encoding)
        {
            return encoding;
        }

        var count = Split(line, lineNumber, out var splitError);
        if (splitError is not null)
        {
            return splitError;
        }

        for (var i = 0; i < Math.Max(count, _columns.Length); i++)
        {
            var expected = i < _columns.Length ? _columns[i].Schema.Name : null;
            var actual = i < count ? Encoding.UTF8.GetString(Field(line, i)) : null;
            if (expected != actual)
            {
                var at = i < count ? _fields[i].Offset : line.Length;
                return Error(line, lineNumber, at, null, Quote(actual ?? string.Empty), expected is null
                    ? $"header has {count} columns; the schema declares {_columns.Length}"
                    : $"header column {i + 1} should be '{expected}'");
            }
        }

        return null;
    }

    /// <summary>
    /// Parses one data line into <paramref name="values"/> (one per feature column) and
    /// <paramref name="target"/>. Returns an error for a malformed row; lists in
    /// <paramref name="dropColumns"/> the columns whose missing value drops the row.
    /// </summary>
    public RowError? ParseRow(ReadOnlySpan<byte> line, int lineNumber, Span<float> values, out float target, out List<int>? dropColumns)
    {
        target = 0;
        dropColumns = null;
        if (Validate(line, lineNumber) is { } encoding)
        {
            return encoding;
        }

        var count = Split(line, lineNumber, out var splitError);
        if (splitError is not null)
        {
            return splitError;
        }

        if (count != _columns.Length)
        {
            var at = count > _columns.Length ? _fields[_columns.Length].Offset : line.Length;
            return Error(line, lineNumber, at, null, Quote(Encoding.UTF8.GetString(line[Math.Min(at, line.Length)..])), $"expected {_columns.Length} fields, found {count}");
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            if (column.Schema.Type == ColumnType.Ignore)
            {
                continue;
            }

            var text = Field(line, i);
            var error = i == _targetIndex
                ? ParseTarget(column, text, out target)
                : ParseFeature(column, text, out values[_featureSlot[i]]);
            if (error == MissingMarker)
            {
                (dropColumns ??= []).Add(i);
                continue;
            }

            if (error is not null)
            {
                return Error(line, lineNumber, _fields[i].Offset, column.Schema.Name, Quote(Encoding.UTF8.GetString(text)), error);
            }
        }

        return null;
    }

    private static IReadOnlyList<string> TargetLevels(TargetSchema target) =>
        target.Kind == TargetKind.Multiclass ? target.Classes : target.PositiveValues;

    /// <summary>Field content, trimmed: a slice of the line, or of the scratch buffer for a quoted field.</summary>
    private ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, int i)
    {
        var field = _fields[i];
        var source = field.Quoted ? _scratch : line;
        return source.Slice(field.ContentStart, field.ContentLength).Trim((byte)' ');
    }

    private RowError? Validate(ReadOnlySpan<byte> line, int lineNumber)
    {
        if (Utf8.IsValid(line))
        {
            return null;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(line[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        var bad = line.Slice(offset, Math.Min(4, line.Length - offset));
        return Error(line, lineNumber, offset, null, "0x" + Convert.ToHexString(bad), "invalid UTF-8");
    }

    private RowError Error(ReadOnlySpan<byte> line, int lineNumber, int byteOffset, string? column, string value, string reason)
    {
        // Report a character column: count the UTF-8 lead bytes before the offset.
        var chars = 0;
        foreach (var b in line[..Math.Min(byteOffset, line.Length)])
        {
            if ((b & 0xC0) != 0x80)
            {
                chars++;
            }
        }

        return new RowError(_source, lineNumber, chars + 1, column, value, reason);
    }

    private static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value.Length > 40 ? value[..40] : value)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c == '"' ? "\\\"" : c.ToString());
        }

        return builder.Append(value.Length > 40 ? "...\"" : "\"").ToString();
    }

    /// <summary>Where a field starts in the line, and where its content is (in the line, or unescaped in scratch when quoted).</summary>
    private readonly record struct FieldRange(int Offset, int ContentStart, int ContentLength, bool Quoted);
}
