namespace HospitalFed.Learning.Data.Internal;

/// <content>Field splitting (RFC 4180 quoting within a line) and value conversion.</content>
internal sealed partial class ExtractParser
{
    /// <summary>Returned by the value parsers for "missing, drop the row".</summary>
    private const string MissingMarker = "\0missing";

    /// <summary>Splits a line into fields; only quoted fields are copied (unescaped) into the scratch buffer.</summary>
    private int Split(ReadOnlySpan<byte> line, int lineNumber, out RowError? error)
    {
        error = null;
        if (_scratch.Length < line.Length)
        {
            _scratch = new byte[Math.Max(line.Length, _scratch.Length * 2)];
        }

        var count = 0;
        var written = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            FieldRange field;
            if (i < line.Length && line[i] == (byte)'"')
            {
                var contentStart = written;
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = Error(line, lineNumber, start, ColumnName(count), "\"\"", "unterminated quoted field");
                        return count;
                    }

                    if (line[i] == (byte)'"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == (byte)'"')
                        {
                            _scratch[written++] = (byte)'"';
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    _scratch[written++] = line[i++];
                }

                if (i < line.Length && line[i] != _delimiter)
                {
                    error = Error(line, lineNumber, i, ColumnName(count), "\"\"", "text after the closing quote");
                    return count;
                }

                field = new FieldRange(start, contentStart, written - contentStart, Quoted: true);
            }
            else
            {
                var end = line[i..].IndexOf(_delimiter);
                var length = end < 0 ? line.Length - i : end;
                field = new FieldRange(start, i, length, Quoted: false);
                i += length;
            }

            if (count < _fields.Length)
            {
                _fields[count] = field;
            }

            count++;
            if (i >= line.Length)
            {
                return count;
            }

            i++; // the delimiter
        }
    }

    private string? ColumnName(int index) => index < _columns.Length ? _columns[index].Schema.Name : null;

    private bool IsMissingToken(ReadOnlySpan<byte> text)
    {
        foreach (var token in _missingTokens)
        {
            if (text.SequenceEqual(token))
            {
                return true;
            }
        }

        return false;
    }

    private string? ParseFeature(CompiledColumn column, ReadOnlySpan<byte> text, out float value)
    {
        value = float.NaN;
        var schema = column.Schema;
        if (IsMissingToken(text))
        {
            return Missing(schema);
        }

        if (schema.Type == ColumnType.Categorical)
        {
            var level = column.FindLevel(text);
            if (level < 0)
            {
                return $"is not one of the levels {string.Join(", ", schema.Levels)}";
            }

            value = level;
            return null;
        }

        if (!TryParseNumber(text, out var number))
        {
            return "is not a number";
        }

        if (column.IsSentinel(number))
        {
            return Missing(schema);
        }

        if (!column.InRange(number))
        {
            return column.RangeError;
        }

        if (schema.Type == ColumnType.Binary && number is not (0 or 1))
        {
            return "is not 0 or 1";
        }

        value = (float)number;
        return null;
    }

    private string? ParseTarget(CompiledColumn column, ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        var target = _schema.Target;
        if (IsMissingToken(text))
        {
            return "the target is missing";
        }

        if (target.Kind == TargetKind.Multiclass || target.PositiveValues.Count > 0)
        {
            var level = column.FindLevel(text);
            if (target.Kind == TargetKind.Multiclass && level < 0)
            {
                return $"is not one of the target classes {string.Join(", ", target.Classes)}";
            }

            value = target.Kind == TargetKind.Multiclass ? level : level >= 0 ? 1 : 0;
            return null;
        }

        if (!TryParseNumber(text, out var number))
        {
            return "is not a number";
        }

        if (!column.InRange(number))
        {
            return column.RangeError;
        }

        value = number > target.GreaterThan ? 1 : 0;
        return null;
    }

    private static string? Missing(ColumnSchema schema) => schema.Missing switch
    {
        MissingPolicy.Reject => "missing value (the column's policy rejects the row)",
        MissingPolicy.DropRow => MissingMarker,
        _ => null,
    };
}
