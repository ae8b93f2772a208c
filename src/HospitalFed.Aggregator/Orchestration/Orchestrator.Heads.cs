using Google.Protobuf;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Tree heads to the sites and their countersignatures back. Each round result carries the head
/// signed after the round and, per site, an RFC 9162 consistency proof from the last head that
/// site countersigned, so every site checks that the log only grew since. A countersignature is
/// appended only if its author is an invited site and it is newer than the last one logged for that
/// site; the log itself checks the certificate, the signature and that the head is one it signed
/// with that root. A site sends its last countersignature again whenever it reconnects, so one lost
/// in a crash of either side still reaches the log (and the next proof starts where the site is).
/// </summary>
public sealed partial class Orchestrator
{
    /// <summary>Per site, the size of the last head it countersigned (rebuilt from the log after a restart).</summary>
    private readonly Dictionary<string, long> _lastCountersigned = new(StringComparer.Ordinal);

    /// <summary>The countersignatures appended so far (each one a site's signed check of a head).</summary>
    public int Countersignatures { get; private set; }

    /// <summary>Per site, the size of the last tree head it countersigned.</summary>
    public IReadOnlyDictionary<string, long> LastCountersigned => _lastCountersigned;

    /// <summary>Reads, from the log, the last head each site countersigned: the start of its next consistency proof.</summary>
    private void RememberCountersignatures()
    {
        foreach (var entry in Entries().Where(e => e.Kind == LogEntryKind.Countersignature && e.PlanId == _context.Plan.Id))
        {
            var size = TreeHead.From(entry).Size;
            if (size > _lastCountersigned.GetValueOrDefault(entry.Author, -1))
            {
                _lastCountersigned[entry.Author] = size;
            }

            Countersignatures++;
        }
    }

    /// <summary>The round result for each participant, with the head and that site's own consistency proof.</summary>
    private Dictionary<string, SiteTask> ResultTasks(RoundResult result, LogEntry head, IEnumerable<string> participants)
    {
        var line = ByteString.CopyFrom(LogLine.Encode(head, null));
        var size = TreeHead.From(head).Size;
        var tasks = new Dictionary<string, SiteTask>(StringComparer.Ordinal);
        foreach (var site in participants)
        {
            var own = result.Clone();
            own.TreeHead = line;
            if (_lastCountersigned.TryGetValue(site, out var from))
            {
                own.ConsistencyFromSize = from;
                own.ConsistencyProof.AddRange(_context.Log.ConsistencyProof(from, size).Select(ByteString.CopyFrom));
            }

            tasks[site] = new SiteTask { Result = own };
        }

        return tasks;
    }

    /// <summary>After the last round: wait (until the phase deadline) for the connected participants' countersignatures of the final head.</summary>
    private List<Outgoing> AwaitFinalCountersignatures(List<Outgoing> outgoing)
    {
        _awaiting.IntersectWith(_connected);
        Phase = OrchestratorPhase.Countersigning;
        _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
        if (_awaiting.Count == 0)
        {
            Phase = OrchestratorPhase.Completed;
        }

        return outgoing;
    }

    /// <summary>Appends a site's countersignature of a head this log signed; a repeat of one already logged is accepted silently.</summary>
    private IReadOnlyList<Outgoing> AcceptCountersignature(string sender, ReadOnlyMemory<byte> line)
    {
        var entry = Decode(sender, line, "countersignature");
        var planId = _context.Plan.Id;
        if (entry.Kind != LogEntryKind.Countersignature || entry.Author != sender || entry.PlanId != planId)
        {
            throw new OrchestratorException($"'{sender}' sent a {LogEntryKinds.Name(entry.Kind)} entry by '{entry.Author}' for plan {entry.PlanId}; its own countersignature for plan {planId} was expected.");
        }

        if (!_context.Options.Sites.Contains(sender, StringComparer.Ordinal))
        {
            throw new OrchestratorException($"'{sender}' is not invited to plan {planId}.");
        }

        long size;
        try
        {
            size = TreeHead.From(entry).Size;
        }
        catch (FormatException ex)
        {
            throw new OrchestratorException($"The countersignature of '{sender}' is malformed: {ex.Message}", ex);
        }

        if (_lastCountersigned.TryGetValue(sender, out var last) && size <= last)
        {
            return size == last
                ? Countersigned(sender) // sent again after a reconnect: already in the log
                : throw new OrchestratorException($"'{sender}' countersigned the head of size {size}, older than the head of size {last} it already countersigned.");
        }

        AppendSiteEntry(sender, entry); // certificate, signature, and a head this log signed with that root
        _lastCountersigned[sender] = size;
        Countersignatures++;
        return Countersigned(sender);
    }

    private IReadOnlyList<Outgoing> Countersigned(string sender) =>
        Phase == OrchestratorPhase.Countersigning && _awaiting.Contains(sender) ? Answered(sender) : [];
}
