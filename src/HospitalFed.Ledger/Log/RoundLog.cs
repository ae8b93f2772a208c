using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Internal;
using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// The append side of a plan's round log, used by the aggregator: it checks each entry's author
/// and signature before storing it, keeps the Merkle tree (RFC 9162) over the stored lines, signs
/// tree heads, and serves inclusion and consistency proofs. Entries signed elsewhere (site
/// uploads and decisions, admin approvals, countersignatures) arrive through <see cref="Append"/>.
/// Every append is also checked against the same governance rules <see cref="LogVerifier"/>
/// applies, so the aggregator cannot write a log that would fail an audit (for example open a
/// round without m-of-n approvals, or with fewer than the plan's minimum sites).
/// Not thread-safe: the aggregator serialises appends.
/// </summary>
public sealed class RoundLog
{
    private readonly ILogStore _store;
    private readonly EntryAuthenticator _authenticator;
    private readonly TimeProvider _time;
    private readonly MerkleTree _tree = new([]);
    private readonly MerkleFrontier _frontier = new();
    private readonly AuditRules _rules;

    /// <summary>Opens the log in <paramref name="store"/>, rebuilding the tree from the stored lines.</summary>
    /// <param name="store">The storage; the log does not own it.</param>
    /// <param name="root">The consortium root certificate.</param>
    /// <param name="revocation">The consortium CRL.</param>
    /// <param name="time">The clock for entries this log signs; the system clock when null.</param>
    /// <exception cref="FormatException">A stored line is malformed.</exception>
    /// <exception cref="InvalidOperationException">The stored log breaks a governance rule.</exception>
    public RoundLog(ILogStore store, X509Certificate2 root, IRevocationSource revocation, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _authenticator = new EntryAuthenticator(root, revocation);
        _time = time ?? TimeProvider.System;
        _rules = new AuditRules(root, revocation, new AuditSummary());
        foreach (var line in store.ReadAll())
        {
            var entry = LogLine.Decode(line, out _);
            ApplyRules(entry);
            PlanId ??= entry.PlanId;
            AppendLeaf(line);
        }
    }

    /// <summary>The plan this log belongs to, fixed by its first entry; null while empty.</summary>
    public string? PlanId { get; private set; }

    /// <summary>The number of entries.</summary>
    public long Size => _tree.Size;

    /// <summary>The Merkle root over every entry.</summary>
    public byte[] Root() => _tree.Root(_tree.Size);

    /// <summary>The Merkle root over the first <paramref name="size"/> entries.</summary>
    public byte[] Root(long size) => _tree.Root(size);

    /// <summary>Signs <paramref name="content"/> as <paramref name="author"/> for this log's plan, now.</summary>
    public LogEntry Sign(SigningIdentity author, EntryContent content, string? planId = null) =>
        LogEntry.Sign(author, planId ?? PlanId ?? throw new InvalidOperationException("the log is empty: give the plan id"), content, _time.GetUtcNow());

    /// <summary>Signs and appends; returns the entry.</summary>
    public LogEntry AppendSigned(SigningIdentity author, EntryContent content, string? planId = null)
    {
        var entry = Sign(author, content, planId);
        Append(entry);
        return entry;
    }

    /// <summary>Signs and appends a tree head over every entry so far.</summary>
    public LogEntry SignTreeHead(SigningIdentity aggregator) =>
        AppendSigned(aggregator, LogEntries.TreeHead(Size, Root()));

    /// <summary>
    /// Appends an entry after checking its plan, its author's certificate (chain to the root, role
    /// allowed for the kind, valid and unrevoked at the entry's time) and its signature.
    /// </summary>
    /// <returns>The entry's index.</returns>
    /// <exception cref="IdentityException">The author or signature is refused.</exception>
    /// <exception cref="InvalidOperationException">The entry belongs to another plan or breaks a governance rule (the message names it).</exception>
    public long Append(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (PlanId is not null && !string.Equals(PlanId, entry.PlanId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"entry is for plan {entry.PlanId}, this log is for plan {PlanId}");
        }

        _authenticator.Authenticate(entry);
        var index = Size;
        ApplyRules(entry);
        var line = LogLine.Encode(entry, index);
        _store.Append(index, line);
        AppendLeaf(line);
        PlanId ??= entry.PlanId;
        return index;
    }

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public LogEntry Entry(long index) => LogLine.Decode(Line(index), out _);

    /// <summary>The RFC 9162 inclusion proof of entry <paramref name="index"/> in the tree of <paramref name="size"/>.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size) => _tree.InclusionProof(index, size);

    /// <summary>The RFC 9162 consistency proof between two tree sizes.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize) => _tree.ConsistencyProof(oldSize, newSize);

    /// <summary>
    /// Loads an exported log (JSON Lines) into an empty <paramref name="store"/>, checking every
    /// entry on the way in exactly as <see cref="Append"/> does; the stored lines, and so the
    /// Merkle roots, are byte-for-byte those of the export.
    /// </summary>
    /// <exception cref="FormatException">A line is malformed or out of place.</exception>
    /// <exception cref="IdentityException">An author or signature is refused.</exception>
    /// <exception cref="InvalidOperationException">The store is not empty, or an entry breaks a governance rule.</exception>
    public static async Task<RoundLog> ImportAsync(Stream source, ILogStore store, X509Certificate2 root, IRevocationSource revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        if (store.Count != 0)
        {
            throw new InvalidOperationException($"import needs an empty store; this one holds {store.Count} entries");
        }

        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var log = new RoundLog(store, root, revocation);
        foreach (var line in LogVerifier.SplitLines(buffer.ToArray()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = LogLine.Decode(line.AsMemory(), out var index);
            if (index != log.Size)
            {
                throw new FormatException($"line {log.Size} says it is entry {index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}");
            }

            log.Append(entry);
        }

        return log;
    }

    /// <summary>Writes the log as JSON Lines (one canonical entry per line, '\n' after each).</summary>
    public async Task ExportAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var line in _store.ReadAll())
        {
            await destination.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private byte[] Line(long index) =>
        index >= 0 && index < Size ? _store.Read(index) : throw new ArgumentOutOfRangeException(nameof(index), index, $"the log holds {Size} entries");

    private void ApplyRules(LogEntry entry)
    {
        try
        {
            _rules.Apply(Size, entry, _frontier);
        }
        catch (AuditCheckException ex)
        {
            throw new InvalidOperationException($"entry {Size} refused: {ex.What}: {ex.Why}");
        }
    }

    private void AppendLeaf(byte[] line)
    {
        var leaf = MerkleHash.Leaf(line);
        _tree.Append(leaf);
        _frontier.Append(leaf);
    }
}
