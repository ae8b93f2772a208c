using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using Microsoft.Data.Sqlite;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>The round log's side of the start: checked before anything is written, verified before it is resumed.</summary>
public sealed partial class AggregatorRuntime
{
    /// <summary>Whether the database at the config's "log" already holds <paramref name="plan"/>'s log (a restart), without creating anything.</summary>
    private static bool HoldsPlan(AggregatorConfig config, TrainingPlan plan)
    {
        if (!File.Exists(config.Log) || new FileInfo(config.Log).Length == 0)
        {
            return false;
        }

        try
        {
            return SqliteLogStore.Plans(config.Log).Contains(plan.Id, StringComparer.Ordinal);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            return false; // a database without the log table yet
        }
        catch (SqliteException ex)
        {
            throw new OrchestratorException($"{config.Log} (config key \"log\") cannot be read as a round log database: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Builds a new log's governance prefix (consortium, plan, approvals) in memory and runs the
    /// orchestrator's own start checks on it (approvals m of n, minimum sites, per-round approval),
    /// so that a refused start has written nothing. Returns the prefix's lines.
    /// </summary>
    private static List<byte[]> StagePrefix(AggregatorConfig config, ConsortiumConfig consortium, TrainingPlan plan, SigningIdentity identity, X509Certificate2 root, IRevocationSource revocation, IFederatedJob job, ApprovalPolicy approvals, ConsortiumTrust trust, OrchestratorOptions options)
    {
        using var staging = new MemoryLogStore();
        var log = new RoundLog(staging, root, revocation);
        log.AppendSigned(identity, LogEntries.Consortium(consortium), plan.Id);
        log.AppendSigned(identity, LogEntries.PlanProposed(plan));
        for (var i = 0; i < config.Approvals.Count; i++)
        {
            var path = config.Approvals[i];
            var source = config.Source ?? "aggregator config";
            LogEntry approval;
            try
            {
                approval = LogLine.Decode(File.ReadAllBytes(path).AsSpan().TrimEnd((byte)'\n'), out _);
                if (approval.Kind == LogEntryKind.Approval && approval.PlanId != plan.Id)
                {
                    // The plan file changed after the admins signed its id (or the approval is for another plan).
                    throw new OrchestratorException(ConfigFile.FileError(
                        source, "approvals", path,
                        $"approves plan {approval.PlanId}, but the plan file {config.Plan} (key \"plan\") hashes to {plan.Id}: the plan file was changed after it was approved, or the approval is for another plan",
                        i));
                }

                log.Append(approval);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IdentityException or System.Text.Json.JsonException or CryptographicException)
            {
                throw new OrchestratorException(ConfigFile.FileError(source, "approvals", path, $"is not a usable approval: {ex.Message}", i), ex);
            }
        }

        using var dryRun = new Orchestrator(new OrchestratorContext(plan, job, log, identity, approvals, trust, options));
        dryRun.Start();
        return [.. staging.ReadAll()];
    }

    /// <summary>Verifies the stored log as an auditor would (signatures, Merkle heads, governance) before trusting it.</summary>
    /// <remarks>
    /// With the same rule as <c>hfed audit verify</c>: an entry is judged against its author's
    /// revocation at the entry's time, so a party revoked after its entries leaves them valid.
    /// </remarks>
    private static RoundLog OpenExisting(AggregatorConfig config, SqliteLogStore store, TrainingPlan plan, X509Certificate2 root, IRevocationSource revocation)
    {
        var result = new LogVerifier(root, revocation).Verify([.. store.ReadAll()]);
        if (result.Failure is { } failure)
        {
            throw new OrchestratorException($"{config.Log} holds plan {plan.Id} but does not verify at entry {failure.Index} ({failure.What}: {failure.Why}); refusing to resume: audit it with 'hfed audit verify' and restore the store from a backup.");
        }

        try
        {
            return new RoundLog(store, root, revocation);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new OrchestratorException($"{config.Log} holds plan {plan.Id} but cannot be reopened: {ex.Message}", ex);
        }
    }

    private static HashSet<string> LoggedAggregates(RoundLog log)
    {
        var digests = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < log.Size; i++)
        {
            if (log.Entry(i) is { Kind: LogEntryKind.Aggregate } entry)
            {
                digests.Add(entry.Body["digest"]!.GetValue<string>());
            }
        }

        return digests;
    }
}
