using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Internal;
using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// The site side of tree-head countersigning. A site countersigns a new head only after
/// checking the aggregator's signature on it and a consistency proof (RFC 9162 section 2.1.4)
/// from the last head it countersigned. An aggregator that rewrote or forked history therefore
/// cannot obtain countersignatures for it, and any head a site holds is evidence an auditor can
/// check a log against. Holds the last countersigned head; the site persists it between runs.
/// </summary>
public sealed class TreeHeadWitness
{
    private readonly EntryAuthenticator _authenticator;

    /// <summary>Creates the witness, starting from <paramref name="last"/> (null before the first countersignature).</summary>
    public TreeHeadWitness(X509Certificate2 root, IRevocationSource revocation, TreeHead? last = null)
    {
        _authenticator = new EntryAuthenticator(root, revocation);
        Last = last;
    }

    /// <summary>The last head this site countersigned.</summary>
    public TreeHead? Last { get; private set; }

    /// <summary>Checks <paramref name="headEntry"/> and returns the site's countersignature entry.</summary>
    /// <param name="site">The site's identity.</param>
    /// <param name="headEntry">The aggregator's tree-head entry.</param>
    /// <param name="consistencyProof">Proof from <see cref="Last"/> to the new head (empty for the first head).</param>
    /// <param name="now">The site's clock.</param>
    /// <exception cref="IdentityException">The head is not signed by a valid aggregator.</exception>
    /// <exception cref="InvalidOperationException">The head is not consistent with the last one countersigned: the aggregator forked or rewrote the log.</exception>
    public LogEntry Countersign(SigningIdentity site, LogEntry headEntry, IReadOnlyList<byte[]> consistencyProof, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(headEntry);
        if (headEntry.Kind != LogEntryKind.TreeHead)
        {
            throw new InvalidOperationException($"expected a tree-head entry, got {LogEntryKinds.Name(headEntry.Kind)}");
        }

        _authenticator.Authenticate(headEntry);
        var head = TreeHead.From(headEntry);
        if (Last is { } last && !MerkleProof.VerifyConsistency(last.Size, head.Size, last.Root, head.Root, consistencyProof))
        {
            throw new InvalidOperationException($"tree head of size {head.Size} is not consistent with the head of size {last.Size} this site countersigned: the log was forked or rewritten");
        }

        var entry = LogEntry.Sign(site, headEntry.PlanId, LogEntries.Countersignature(head.Size, head.Root), now);
        Last = head;
        return entry;
    }
}
