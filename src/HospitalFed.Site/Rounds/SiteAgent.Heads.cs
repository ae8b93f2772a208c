using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds;

/// <summary>
/// Countersigning the aggregator's tree heads (RFC 9162 section 2.1.4 consistency): each round
/// result carries the head over the log after the round and a proof from the last head this site
/// countersigned. A head that is badly signed or inconsistent with it means the log was forked or
/// rewritten: the site refuses it and takes no further part in the plan. The heads it signed are
/// kept in its state (saved before the countersignature leaves), so an auditor can hold the
/// aggregator to them with <c>audit verify --head</c>.
/// </summary>
public sealed partial class SiteAgent
{
    /// <summary>
    /// The last countersignature this site made, for the worker to send again on every (re)connect:
    /// one lost in a crash of either side still reaches the log, and the aggregator's next proof
    /// starts from it. Null before the first, or after a refused head.
    /// </summary>
    public SiteMessage? LastCountersignature =>
        State is { Heads.Count: > 0, HeadRefusal: null } state ? new SiteMessage { Countersignature = ByteString.CopyFromUtf8(state.Heads[^1]) } : null;

    /// <summary>Why this site refused a tree head (fork or rewrite detected); null if it never did.</summary>
    public string? HeadRefusal => State?.HeadRefusal;

    /// <summary>
    /// Verifies and countersigns the head in <paramref name="result"/>; returns the message to send,
    /// or null after refusing the head (recorded in <see cref="State"/>, the plan is over for this site).
    /// </summary>
    private SiteMessage? Countersign(RoundResult result)
    {
        LogEntry headEntry;
        TreeHead head;
        try
        {
            headEntry = LogLine.Decode(result.TreeHead.Memory, out _);
            head = TreeHead.From(headEntry);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return RefuseHead(result, $"the tree head of round {result.Round} does not decode: {ex.Message}");
        }

        if (headEntry.Kind != LogEntryKind.TreeHead || headEntry.PlanId != result.PlanId)
        {
            return RefuseHead(result, $"round {result.Round} carries a {LogEntryKinds.Name(headEntry.Kind)} entry of plan {headEntry.PlanId}, not a tree head of plan {result.PlanId}");
        }

        if (SignedHead(result.PlanId, head.Size) is { } same)
        {
            // A result sent again (reconnect, restart): the same head gets the same countersignature;
            // another root for a size this site already countersigned is a fork.
            return CryptographicOperations.FixedTimeEquals(same.Head.Root, head.Root)
                ? new SiteMessage { Countersignature = ByteString.CopyFromUtf8(same.Line) }
                : RefuseHead(result, $"fork detected: the aggregator signed a second head of size {head.Size} with another root than the one this site countersigned");
        }

        var last = State is { Heads.Count: > 0 } kept && kept.PlanId == result.PlanId ? Decode(kept.Heads[^1]) : null;
        if (last is not null && head.Size < last.Size)
        {
            return RefuseHead(result, $"truncation detected: the head of size {head.Size} is smaller than the head of size {last.Size} this site countersigned");
        }

        // The proof normally starts from the last head this site countersigned. It may start from
        // an earlier one of its heads when the aggregator had not yet logged the last
        // countersignature (lost in a crash, re-sent on reconnect): proving the new head extends a
        // head this site signed is still a fork check, and the later head stays in the site's
        // export, where `audit verify --head` holds the log to it.
        var anchor = last is null ? null : SignedHead(result.PlanId, result.ConsistencyFromSize)?.Head;
        if (last is not null && anchor is null)
        {
            return RefuseHead(result, $"the head of size {head.Size} comes with a consistency proof from size {result.ConsistencyFromSize}, which is not a head this site countersigned (its last is of size {last.Size})");
        }

        LogEntry countersignature;
        try
        {
            var witness = new TreeHeadWitness(_context.Trust.Root, _context.Trust.Revocation, anchor);
            countersignature = witness.Countersign(_context.Identity, headEntry, [.. result.ConsistencyProof.Select(p => p.ToByteArray())], _time.GetUtcNow());
        }
        catch (IdentityException ex)
        {
            return RefuseHead(result, $"the tree head of size {head.Size} is not signed by a valid aggregator: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return RefuseHead(result, $"fork or rewrite detected: {ex.Message}");
        }

        var line = Encoding.UTF8.GetString(LogLine.Encode(countersignature, null));
        Remember(result.PlanId, s => s with { Heads = [.. s.Heads, line] });
        return new SiteMessage { Countersignature = ByteString.CopyFromUtf8(line) };
    }

    private SiteMessage? RefuseHead(RoundResult result, string reason)
    {
        var why = $"plan {result.PlanId}: tree head refused after round {result.Round}: {reason}";
        Remember(result.PlanId, s => s with { HeadRefusal = why });
        LastRefusal = why;
        PlanEnded = true;
        return null;
    }

    /// <summary>
    /// The head of <paramref name="size"/> this site countersigned for <paramref name="planId"/>, or
    /// null. The kept heads' sizes strictly grow, so a binary search decodes O(log n) of them: a
    /// round's check costs the same at round 1,000 as at round 1.
    /// </summary>
    private (TreeHead Head, string Line)? SignedHead(string planId, long size)
    {
        if (State is not { } state || state.PlanId != planId)
        {
            return null;
        }

        var (low, high) = (0, state.Heads.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var head = Decode(state.Heads[middle]);
            if (head.Size == size)
            {
                return (head, state.Heads[middle]);
            }

            (low, high) = head.Size < size ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    private static TreeHead Decode(string line) => TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(line), out _));
}
