using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Internal;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// Counts m-of-n approvals the way every party must: the aggregator before it starts, each site
/// before it trains (sites check the signatures themselves rather than trust the aggregator's
/// word), and the auditor afterwards. An approval counts when it is an approval entry for this
/// plan and round, signed by an admin named in the CA-signed consortium config whose admin
/// certificate was valid and unrevoked both when the approval was signed and when it is used,
/// and it counts once per admin.
/// </summary>
public sealed class ApprovalPolicy
{
    private readonly ConsortiumConfig _config;
    private readonly EntryAuthenticator _authenticator;

    /// <summary>Creates the policy for <paramref name="config"/> under the consortium root and CRL.</summary>
    public ApprovalPolicy(ConsortiumConfig config, X509Certificate2 root, IRevocationSource revocation)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _authenticator = new EntryAuthenticator(root, revocation);
    }

    /// <summary>Counts <paramref name="approvals"/> for <paramref name="planId"/>, round <paramref name="round"/>, used at <paramref name="at"/>.</summary>
    public ApprovalOutcome Evaluate(string planId, long round, IEnumerable<LogEntry> approvals, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        var approvers = new List<string>();
        var refused = new List<string>();
        foreach (var approval in approvals)
        {
            var reason = Check(approval, planId, round, at);
            if (reason is not null)
            {
                refused.Add(reason);
            }
            else if (approvers.Contains(approval.Author, StringComparer.Ordinal))
            {
                refused.Add($"'{approval.Author}' approved more than once; counted once");
            }
            else
            {
                approvers.Add(approval.Author);
            }
        }

        return new ApprovalOutcome(approvers.Count >= _config.ApprovalThreshold, _config.ApprovalThreshold, approvers, refused);
    }

    /// <summary>Why <paramref name="approval"/> does not count, or null if it does.</summary>
    public string? Check(LogEntry approval, string planId, long round, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (approval.Kind != LogEntryKind.Approval)
        {
            return $"entry by '{approval.Author}' is a {LogEntryKinds.Name(approval.Kind)}, not an approval";
        }

        if (!string.Equals(approval.PlanId, planId, StringComparison.Ordinal) || approval.Round != round)
        {
            return $"approval by '{approval.Author}' is for plan {approval.PlanId} round {approval.Round}, not plan {planId} round {round}";
        }

        if (!_config.Admins.Contains(approval.Author, StringComparer.Ordinal))
        {
            return $"'{approval.Author}' is not one of the consortium's admins ({string.Join(", ", _config.Admins)})";
        }

        try
        {
            _authenticator.Authenticate(approval);
            _authenticator.Certificate(approval, at); // a since revoked or expired admin's approval stops counting
        }
        catch (IdentityException ex)
        {
            return $"approval by '{approval.Author}' does not count: {ex.Message}";
        }

        return approval.Time > at ? $"approval by '{approval.Author}' is dated after it was used ({LogEntry.FormatTime(approval.Time)})" : null;
    }
}
