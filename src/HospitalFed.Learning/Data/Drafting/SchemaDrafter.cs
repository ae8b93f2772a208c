using System.Text;
using System.Text.Unicode;
using HospitalFed.Learning.Data.Drafting.Internal;
using HospitalFed.Learning.Data.Internal;

namespace HospitalFed.Learning.Data.Drafting;

/// <summary>
/// Profiles a CSV/TSV extract with a header, streamed line by line in memory bounded by the
/// column count (any file size), and drafts an <see cref="ExtractSchema"/> for a person to
/// review: per column the type (numeric, 0/1, categorical with its observed levels, or ignored),
/// the missing-value tokens seen, the observed range, a missing-value policy, and the target.
/// Columns that need a decision (mixed types, high cardinality, constants, identifiers, dates)
/// are listed in <see cref="SchemaDraft.Review"/>. No file I/O: the caller opens the stream.
/// </summary>
public static class SchemaDrafter
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Profiles <paramref name="stream"/> and drafts its schema.</summary>
    /// <param name="stream">UTF-8 text, LF or CRLF lines, optional BOM.</param>
    /// <param name="source">The file name, used in errors and the draft's header comment.</param>
    /// <param name="options">Target, identifiers and whether there is a header.</param>
    /// <param name="cancellationToken">Checked every 4096 lines.</param>
    /// <exception cref="ExtractFormatException">The extract is empty, has no header, a ragged row, a malformed quote or invalid UTF-8; the error names file:line:column.</exception>
    /// <exception cref="SchemaException">The target or an identifier is not a column, or no usable feature or target remains.</exception>
    public static SchemaDraft Draft(Stream stream, string source, SchemaDraftOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new Utf8LineReader(stream);
        ColumnProfile[]? columns = null;
        var delimiter = ',';
        var missingSeen = new SortedSet<string>(StringComparer.Ordinal);
        long lineNumber = 0, dataLines = 0;
        while (reader.TryReadLine(out var bytes))
        {
            lineNumber++;
            if ((lineNumber & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (lineNumber == 1 && bytes.StartsWith(ByteOrderMark))
            {
                bytes = bytes[ByteOrderMark.Length..];
            }

            if (!Utf8.IsValid(bytes))
            {
                throw Error(source, lineNumber, 1, "invalid UTF-8 (the extract must be UTF-8 text)");
            }

            var line = Encoding.UTF8.GetString(bytes);
            if (columns is null)
            {
                delimiter = CsvFields.DetectDelimiter(line);
                columns = Columns(Fields(line, delimiter, source, lineNumber), options.Header, source);
                if (options.Header)
                {
                    continue;
                }
            }

            if (line.Trim(' ').Length == 0)
            {
                continue;
            }

            var fields = Fields(line, delimiter, source, lineNumber);
            if (fields.Count != columns.Length)
            {
                throw Error(source, lineNumber, 1, $"expected {columns.Length} fields (as {(options.Header ? "the header" : "line 1")}), found {fields.Count}");
            }

            dataLines++;
            for (var i = 0; i < fields.Count; i++)
            {
                columns[i].Add(fields[i], lineNumber, missingSeen);
            }
        }

        if (columns is null)
        {
            throw Error(source, 1, 1, "the file is empty: a header line naming the columns, then data lines, were expected");
        }

        if (dataLines == 0)
        {
            throw Error(source, lineNumber + 1, 1, "no data lines after the header");
        }

        return DraftBuilder.Build(source, delimiter, columns, missingSeen, dataLines, options);
    }

    private static List<string> Fields(string line, char delimiter, string source, long lineNumber) =>
        CsvFields.Split(line, delimiter, out var error)
        ?? throw Error(source, lineNumber, error!.Value.Column, error.Value.Reason);

    private static ColumnProfile[] Columns(List<string> first, bool header, string source)
    {
        if (!header)
        {
            return [.. first.Select((_, i) => new ColumnProfile($"col{i + 1}"))];
        }

        if (first.All(f => ExtractParser.TryParseNumber(Encoding.UTF8.GetBytes(f), out _)))
        {
            throw Error(source, 1, 1, "the first line is all numbers, not a header naming the columns (for a file without a header, pass --no-header)");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < first.Count; i++)
        {
            if (first[i].Length == 0 || !names.Add(first[i]))
            {
                throw Error(source, 1, 1, $"header column {i + 1} is {(first[i].Length == 0 ? "empty" : $"'{first[i]}' again")}: every column needs its own name");
            }
        }

        return [.. first.Select(n => new ColumnProfile(n))];
    }

    private static ExtractFormatException Error(string source, long line, int column, string reason) =>
        new(new RowError(source, checked((int)line), column, null, "\"\"", reason));
}
