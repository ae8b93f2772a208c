namespace HospitalFed.Learning.Data;

/// <summary>
/// What a load did with every line: accepted, rejected (malformed) or dropped (missing value under
/// <see cref="MissingPolicy.DropRow"/>). Data lines = accepted + rejected + dropped; nothing is
/// dropped silently.
/// </summary>
public sealed record IngestionReport
{
    /// <summary>At most this many errors are kept in <see cref="Errors"/>; <see cref="RowsRejected"/> counts them all.</summary>
    public const int MaxErrors = 100;

    /// <summary>File name (or label) of the extract.</summary>
    public required string Source { get; init; }

    /// <summary>Non-blank data lines read (the header excluded).</summary>
    public int DataLines { get; init; }

    /// <summary>Blank lines skipped (they hold no data).</summary>
    public int BlankLines { get; init; }

    /// <summary>Rows loaded.</summary>
    public int RowsAccepted { get; init; }

    /// <summary>Malformed rows rejected under <see cref="BadRowPolicy.Reject"/>.</summary>
    public int RowsRejected { get; init; }

    /// <summary>Rows dropped for a missing value under <see cref="MissingPolicy.DropRow"/>.</summary>
    public int RowsDropped { get; init; }

    /// <summary>Per column, how many dropped rows had that column missing (a row may count in several).</summary>
    public required IReadOnlyDictionary<string, int> DroppedForMissing { get; init; }

    /// <summary>The first <see cref="MaxErrors"/> rejections, in file order.</summary>
    public required IReadOnlyList<RowError> Errors { get; init; }

    /// <summary>One-line summary, e.g. for a site's log (no values).</summary>
    public override string ToString() =>
        $"{Source}: {DataLines} data lines, {RowsAccepted} accepted, {RowsRejected} rejected, {RowsDropped} dropped for missing values" +
        (DroppedForMissing.Count == 0 ? string.Empty : $" ({string.Join(", ", DroppedForMissing.Select(p => $"{p.Key}: {p.Value}"))})");
}
