using System.Runtime.InteropServices;
using HospitalFed.Learning.Data.Internal;

namespace HospitalFed.Learning.Data;

/// <summary>
/// Loads CSV/TSV extracts against an <see cref="ExtractSchema"/>. The stream is read line by
/// line into one reusable buffer, so memory is proportional to the accepted feature matrix,
/// not to the file.
/// </summary>
public static class ExtractLoader
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Loads the extract at <paramref name="path"/>; errors name the file by its name.</summary>
    /// <exception cref="ExtractFormatException">A row is malformed and <paramref name="policy"/> is <see cref="BadRowPolicy.Fail"/>, or the header is wrong.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ExtractTable LoadFile(string path, ExtractSchema schema, BadRowPolicy policy = BadRowPolicy.Fail, CancellationToken cancellationToken = default)
    {
        // bufferSize 1 turns off FileStream's own buffer: the line reader already reads in 64 KiB blocks.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(stream, Path.GetFileName(path), schema, policy, cancellationToken);
    }

    /// <summary>Loads an extract from <paramref name="stream"/>.</summary>
    /// <param name="stream">UTF-8 text, LF or CRLF lines, optional BOM.</param>
    /// <param name="source">Label used in errors (usually the file name).</param>
    /// <param name="schema">The declared schema.</param>
    /// <param name="policy">Whether a malformed row fails the load or is rejected and counted.</param>
    /// <param name="cancellationToken">Checked every 4096 lines, so a long load can be stopped.</param>
    /// <exception cref="ExtractFormatException">A row is malformed and <paramref name="policy"/> is <see cref="BadRowPolicy.Fail"/>, or the header is wrong.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ExtractTable Load(Stream stream, string source, ExtractSchema schema, BadRowPolicy policy = BadRowPolicy.Fail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(schema);
        schema.Validate();

        var parser = new ExtractParser(schema, source);
        var reader = new Utf8LineReader(stream);
        var width = parser.FeatureColumnCount;
        var row = new float[width];
        var values = new List<float>();
        var targets = new List<float>();
        var lines = new List<int>();
        var errors = new List<RowError>();
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0, dataLines = 0, blank = 0, rejected = 0, droppedRows = 0;

        while (reader.TryReadLine(out var line))
        {
            lineNumber++;
            if ((lineNumber & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (lineNumber == 1 && line.StartsWith(ByteOrderMark))
            {
                line = line[ByteOrderMark.Length..];
            }

            if (lineNumber == 1 && schema.Header)
            {
                if (parser.CheckHeader(line, lineNumber) is { } headerError)
                {
                    throw new ExtractFormatException(headerError);
                }

                continue;
            }

            if (line.Trim((byte)' ').IsEmpty)
            {
                blank++;
                continue;
            }

            dataLines++;
            var error = parser.ParseRow(line, lineNumber, row, out var target, out var dropColumns);
            if (error is not null)
            {
                if (policy == BadRowPolicy.Fail)
                {
                    throw new ExtractFormatException(error);
                }

                rejected++;
                if (errors.Count < IngestionReport.MaxErrors)
                {
                    errors.Add(error);
                }

                continue;
            }

            if (dropColumns is not null)
            {
                droppedRows++;
                foreach (var column in dropColumns)
                {
                    var name = schema.Columns[column].Name;
                    dropped[name] = dropped.GetValueOrDefault(name) + 1;
                }

                continue;
            }

            values.AddRange(row);
            targets.Add(target);
            lines.Add(lineNumber);
        }

        var report = new IngestionReport
        {
            Source = source,
            DataLines = dataLines,
            BlankLines = blank,
            RowsAccepted = targets.Count,
            RowsRejected = rejected,
            RowsDropped = droppedRows,
            DroppedForMissing = dropped,
            Errors = errors,
        };
        return new ExtractTable(schema, CollectionsMarshal.AsSpan(values).ToArray(), [.. targets], [.. lines], report);
    }
}
