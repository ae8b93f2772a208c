using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Internal;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Audit;

/// <summary>
/// Verifies an exported round log offline, trusting only the consortium root and its CRL:
/// every line's form, every author's certificate (chain, role, validity and revocation at the
/// entry's time) and signature, the Merkle tree against every signed tree head and
/// countersignature, and the governance rules (see <see cref="AuditRules"/>). Stops at the first
/// failure and names it. Heads the auditor holds from elsewhere (a site's countersigned head, a
/// previous audit) extend the check to truncation and forks the log alone cannot show.
/// An instance remembers the certificate chains it has built (their time-dependent checks are
/// still made per entry); it is not safe for concurrent <see cref="Verify"/> calls.
/// </summary>
public sealed class LogVerifier
{
    private readonly X509Certificate2 _root;
    private readonly IRevocationSource _revocation;
    private readonly EntryAuthenticator _authenticator;

    /// <summary>Creates the verifier for the consortium with <paramref name="root"/> and <paramref name="revocation"/>.</summary>
    public LogVerifier(X509Certificate2 root, IRevocationSource revocation)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(revocation);
        _root = root;
        _revocation = revocation;
        _authenticator = new EntryAuthenticator(root, revocation);
    }

    /// <summary>Splits a JSON Lines file into lines; every line must end with '\n' and none may be empty.</summary>
    /// <exception cref="FormatException">An empty line or a missing final newline; the message gives the line.</exception>
    public static IReadOnlyList<byte[]> SplitLines(ReadOnlySpan<byte> file)
    {
        var lines = new List<byte[]>();
        while (!file.IsEmpty)
        {
            var end = file.IndexOf((byte)'\n');
            if (end < 0)
            {
                throw new FormatException($"line {lines.Count} does not end with a newline (truncated file?)");
            }

            if (end == 0)
            {
                throw new FormatException($"line {lines.Count} is empty");
            }

            lines.Add(file[..end].ToArray());
            file = file[(end + 1)..];
        }

        return lines;
    }

    /// <summary>Verifies <paramref name="lines"/> (and, optionally, heads held by the auditor).</summary>
    /// <param name="lines">The log's lines, without their newlines.</param>
    /// <param name="heldHeads">Tree-head or countersignature entries the auditor obtained independently of this log.</param>
    public AuditResult Verify(IReadOnlyList<byte[]> lines, IEnumerable<LogEntry>? heldHeads = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var summary = new AuditSummary { Entries = lines.Count };
        var authenticator = _authenticator;

        // Form and held heads first: cheap, and a held head that the log cannot reach is truncation.
        var held = new List<TreeHead>();
        var heldEntries = (heldHeads ?? []).ToList();
        foreach (var entry in heldEntries)
        {
            try
            {
                authenticator.Authenticate(entry);
                held.Add(TreeHead.From(entry));
            }
            catch (Exception ex) when (ex is IdentityException or FormatException)
            {
                return new AuditResult(new AuditFailure(-1, "held tree head", $"a head the auditor holds is not valid: {ex.Message}"), summary);
            }
        }

        var entries = new LogEntry?[lines.Count];
        var formatErrors = new string?[lines.Count];
        Parallel.For(0, lines.Count, i =>
        {
            try
            {
                entries[i] = LogLine.Decode(lines[i].AsMemory(), out var index);
                if (index != i)
                {
                    formatErrors[i] = index is null ? "the entry carries no index" : $"the entry says it is at index {index}";
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                formatErrors[i] = ex.Message;
            }
        });

        // Certificates sequentially (each chain is built once, then cached), signatures in parallel.
        var certificates = new SignatureVerifier?[lines.Count];
        var certificateErrors = new string?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (entries[i] is { } entry && formatErrors[i] is null)
            {
                try
                {
                    certificates[i] = authenticator.Verifier(authenticator.Certificate(entry, entry.Time));
                }
                catch (Exception ex) when (ex is IdentityException or CryptographicException)
                {
                    certificateErrors[i] = ex.Message;
                }
            }
        }

        var signatureOk = new bool[lines.Count];
        Parallel.For(0, lines.Count, i =>
        {
            if (entries[i] is { } e && certificates[i] is { } c)
            {
                signatureOk[i] = c.Verify(LogEntryKinds.Purpose(e.Kind), e.Binding, e.SignedPayload(), e.Signature);
            }
        });

        // A head of another plan's log says nothing about this one: refuse it rather than cry "fork".
        var planId = entries.Length > 0 ? entries[0]?.PlanId : null;
        if (planId is not null && heldEntries.FirstOrDefault(h => !string.Equals(h.PlanId, planId, StringComparison.Ordinal)) is { } stranger)
        {
            return new AuditResult(new AuditFailure(-1, "held tree head", $"a head the auditor holds (by '{stranger.Author}') is for plan {stranger.PlanId}, not this log's plan {planId}"), summary);
        }

        var rules = new AuditRules(_root, _revocation, summary);
        var frontier = new MerkleFrontier();
        var heldBySize = held.GroupBy(h => h.Size).ToDictionary(g => g.Key, g => g.ToList());
        summary.HeldHeadsChecked = held.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            var failure = CheckHeld(heldBySize, frontier, i - 1)
                ?? Check(i, entries[i], formatErrors[i], certificateErrors[i], signatureOk[i], rules, frontier);
            if (failure is not null)
            {
                summary.Root = Convert.ToHexStringLower(frontier.Root());
                return new AuditResult(failure, summary);
            }

            frontier.Append(MerkleHash.Leaf(lines[i]));
        }

        summary.Root = Convert.ToHexStringLower(frontier.Root());
        var final = CheckHeld(heldBySize, frontier, lines.Count - 1);
        if (final is null && held.Count > 0 && held.Max(h => h.Size) > lines.Count)
        {
            var longest = held.Max(h => h.Size);
            final = new AuditFailure(lines.Count, "truncation", $"the auditor holds a signed head over {longest} entries but the log has only {lines.Count}: entries {lines.Count} to {longest - 1} are missing");
        }

        return new AuditResult(final, summary);
    }

    private static AuditFailure? Check(int i, LogEntry? entry, string? formatError, string? certificateError, bool signatureOk, AuditRules rules, MerkleFrontier frontier)
    {
        if (formatError is not null || entry is null)
        {
            return new AuditFailure(i, "format", formatError ?? "unreadable entry");
        }

        if (certificateError is not null)
        {
            return new AuditFailure(i, "certificate", $"{LogEntryKinds.Name(entry.Kind)} by '{entry.Author}': {certificateError}");
        }

        if (!signatureOk)
        {
            return new AuditFailure(i, "signature", $"the signature by '{entry.Author}' on this {LogEntryKinds.Name(entry.Kind)} entry does not verify (the entry was altered or forged)");
        }

        try
        {
            rules.Apply(i, entry, frontier);
            return null;
        }
        catch (AuditCheckException ex)
        {
            return new AuditFailure(i, ex.What, ex.Why);
        }
    }

    private static AuditFailure? CheckHeld(Dictionary<long, List<TreeHead>> held, MerkleFrontier frontier, long lastIndex)
    {
        if (!held.TryGetValue(frontier.Size, out var heads))
        {
            return null;
        }

        var root = frontier.Root();
        foreach (var head in heads)
        {
            if (!CryptographicOperations.FixedTimeEquals(head.Root, root))
            {
                return new AuditFailure(Math.Max(lastIndex, 0), "fork", $"the auditor holds a signed head for size {head.Size} with root {Convert.ToHexStringLower(head.Root)}, but the log's first {head.Size} entries have root {Convert.ToHexStringLower(root)}: two histories exist for one size");
            }
        }

        return null;
    }
}
