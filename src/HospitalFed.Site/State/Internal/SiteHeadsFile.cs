using System.Text;
using System.Text.Json;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Site.State.Internal;

/// <summary>
/// A plan's countersigned heads as JSON Lines (<c>heads-PLANID.jsonl</c>), appended one line per
/// head and flushed to disk, so a save costs the new heads only, not every head since round 1.
/// A crash mid-append leaves a last line without its newline: that head was never sent (the
/// countersignature leaves only after the save), so reading drops it and the next save rewrites
/// the file whole. Each plan has its own file, so a new plan never overwrites an old plan's heads.
/// </summary>
internal sealed class SiteHeadsFile(string directory, Func<string, Exception?, InvalidDataException> corrupt)
{
    private string? _planId;
    private int _persisted;
    private string? _last;
    private bool _rewrite;

    /// <summary>The file holding <paramref name="planId"/>'s heads in <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string planId) => Path.Combine(directory, $"heads-{planId}.jsonl");

    /// <summary>Reads the heads of <paramref name="planId"/> (empty if none), checking every one.</summary>
    public IReadOnlyList<string> Read(string planId)
    {
        var path = PathOf(directory, planId);
        var lines = new List<string>();
        _rewrite = false;
        if (File.Exists(path))
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
            var parts = text.Split('\n');
            lines.AddRange(parts[..^1]);
            _rewrite = parts[^1].Length > 0; // a torn last append, never sent: dropped, and the file rewritten at the next save
        }

        Check(planId, lines, 0);
        Persisted(planId, lines, lines.Count);
        return lines;
    }

    /// <summary>Adopts heads read from an older state document, which kept them inline; the next save writes them here.</summary>
    public void Adopt(string planId, IReadOnlyList<string> heads)
    {
        Check(planId, heads, 0);
        Persisted(planId, heads, 0);
        _rewrite = true;
    }

    /// <summary>
    /// Makes the file hold <paramref name="heads"/>: appends the ones past what it holds (heads only
    /// ever grow), or rewrites it atomically when they do not extend it. Checks only the new heads.
    /// </summary>
    public void Write(string planId, IReadOnlyList<string> heads)
    {
        var extends = !_rewrite && string.Equals(planId, _planId, StringComparison.Ordinal) && heads.Count >= _persisted
            && (_persisted == 0 || string.Equals(heads[_persisted - 1], _last, StringComparison.Ordinal));
        if (extends && heads.Count == _persisted)
        {
            return;
        }

        if (!extends && heads.Count == 0 && !File.Exists(PathOf(directory, planId)))
        {
            Persisted(planId, heads, 0);
            return;
        }

        var from = extends ? _persisted : 0;
        Check(planId, heads, from);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(heads.Skip(from).Select(h => h + "\n")));
        if (extends)
        {
            OwnerOnlyFile.Append(PathOf(directory, planId), bytes);
        }
        else
        {
            OwnerOnlyFile.Replace(PathOf(directory, planId), bytes);
        }

        Persisted(planId, heads, heads.Count);
    }

    /// <summary>Heads from <paramref name="from"/> on are this plan's countersignatures with sizes growing past the one before.</summary>
    private void Check(string planId, IReadOnlyList<string> heads, int from)
    {
        var previous = from > 0 ? Size(planId, heads, from - 1) : -1L;
        for (var i = from; i < heads.Count; i++)
        {
            var size = Size(planId, heads, i);
            if (size <= previous)
            {
                throw corrupt($"'heads' entry {i} covers {size} entries, not more than entry {i - 1} ({previous})", null);
            }

            previous = size;
        }
    }

    private long Size(string planId, IReadOnlyList<string> heads, int i)
    {
        LogEntry entry;
        try
        {
            entry = LogLine.Decode(Encoding.UTF8.GetBytes(heads[i] ?? string.Empty), out _);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw corrupt($"'heads' entry {i} is not a log entry ({ex.Message})", ex);
        }

        return entry.Kind == LogEntryKind.Countersignature && entry.PlanId == planId
            ? TreeHead.From(entry).Size
            : throw corrupt($"'heads' entry {i} is not a countersignature of plan {planId}", null);
    }

    private void Persisted(string planId, IReadOnlyList<string> heads, int count)
    {
        _planId = planId;
        _persisted = count;
        _last = count > 0 ? heads[count - 1] : null;
    }
}
