namespace HospitalFed.Learning.Data;

/// <summary>
/// Why one row of an extract is bad and exactly where. The value is quoted (at most 40
/// characters, control characters escaped) so the site operator can find and fix it; these
/// errors stay on the site and are never sent to the aggregator.
/// </summary>
/// <param name="Source">File name (or other label) of the extract.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based character column where the bad field (or byte) starts.</param>
/// <param name="ColumnName">Schema column name, or null when the problem is the line itself.</param>
/// <param name="Value">The offending value as quoted text, or hex bytes for invalid UTF-8.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record RowError(string Source, int Line, int Column, string? ColumnName, string Value, string Reason)
{
    /// <summary><c>file:line:column: [column 'name': ]reason (value "...")</c>: for the person fixing the file.</summary>
    public override string ToString() => $"{Location()} (value {Value})";

    /// <summary>
    /// <c>file:line:column: [column 'name': ]reason</c> without the value: what a service may write to
    /// its logs or a preflight report, which leave the data steward's hands (the value is patient-level).
    /// </summary>
    public string ToRedactedString() => Location();

    private string Location()
    {
        var name = ColumnName is null ? string.Empty : $"column '{ColumnName}': ";
        return $"{Source}:{Line}:{Column}: {name}{Reason}";
    }
}
