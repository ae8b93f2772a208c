using System.Globalization;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Ledger.Audit;

/// <summary>The time-order rule (see <see cref="LogTimeRule"/>): no entry is dated much earlier than one logged before it.</summary>
internal sealed partial class AuditRules
{
    private (long Index, DateTimeOffset Time, string Kind, string Author)? _latest;
    private (long Index, DateTimeOffset Time, long Round)? _opened;

    private void TimeOrder(long index, LogEntry entry)
    {
        var tolerance = LogTimeRule.ClockSkewTolerance;
        var signedAhead = LogTimeRule.IsExempt(entry.Kind);
        if (!signedAhead && _latest is { } latest && entry.Time < latest.Time - tolerance)
        {
            throw new AuditCheckException("time order", string.Create(CultureInfo.InvariantCulture,
                $"{LogEntryKinds.Name(entry.Kind)} by '{entry.Author}' is dated {LogEntry.FormatTime(entry.Time)}, {Span(latest.Time - entry.Time)} before entry {latest.Index} ({latest.Kind} by '{latest.Author}', dated {LogEntry.FormatTime(latest.Time)}) that precedes it in the log, more than the {tolerance.TotalMinutes:0}-minute clock-skew tolerance{OwnRound(entry, tolerance)}: the entry was back-dated or the log reordered"));
        }

        if (entry.Kind == LogEntryKind.RoundOpened)
        {
            _opened = (index, entry.Time, entry.Round);
        }

        if (_latest is null || entry.Time > _latest.Value.Time)
        {
            _latest = (index, entry.Time, LogEntryKinds.Name(entry.Kind), entry.Author);
        }
    }

    private string OwnRound(LogEntry entry, TimeSpan tolerance) =>
        _opened is { } opened && opened.Round == entry.Round && entry.Time < opened.Time - tolerance
            ? $", and before its own round {opened.Round}'s round-opened entry {opened.Index} (dated {LogEntry.FormatTime(opened.Time)})"
            : string.Empty;

    private static string Span(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours} h {span.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds} s");
}
