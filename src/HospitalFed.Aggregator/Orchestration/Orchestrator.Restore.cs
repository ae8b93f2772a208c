using HospitalFed.Crypto.Quantization;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Rebuilding the orchestrator's position after an aggregator restart.</summary>
public sealed partial class Orchestrator
{
    /// <summary>The reason logged for a round interrupted by the aggregator's own restart.</summary>
    public const string RestartAbortReason = "aggregator restart";

    /// <summary>
    /// The job step of the next round: 1 + the number of completed rounds. Round numbers never
    /// repeat (an aborted round's successor takes the next number), so they can run ahead of it.
    /// </summary>
    private long Step => _history.Count + 1;

    /// <summary>
    /// Rebuilds the position of a plan whose round log already holds rounds, after
    /// <see cref="Start"/>: replays every completed round from its archived sum (each replayed model
    /// must hash to the digest its Model entry logged), and aborts the round the previous process
    /// left open with a signed round-aborted entry. Training then continues from the last completed
    /// model in a fresh round with fresh secure-aggregation keys; a plan whose rounds are all
    /// complete moves to <see cref="OrchestratorPhase.Completed"/> and runs nothing.
    /// </summary>
    /// <remarks>
    /// Abort, never resume: resuming a pairwise-masked round would let a site that lost its state
    /// upload a different input under masks the aggregator already holds the other half of, and the
    /// difference of two such uploads is that site's input difference in the clear (Bonawitz et al.,
    /// CCS 2017, section 4 relies on each mask being used once). A fresh round number also makes
    /// every signature, AEAD associated data and HKDF derivation of the aborted round useless in
    /// the new one.
    /// </remarks>
    /// <returns>What was found and done.</returns>
    /// <exception cref="OrchestratorException">
    /// Not just started, no archive configured, or the log and the archive disagree (a missing or
    /// altered sum, a replayed model that does not hash to the logged digest, a round that starts
    /// from another model): the store is refused, never repaired.
    /// </exception>
    public OrchestratorRestore Restore()
    {
        Expect(OrchestratorPhase.WaitingForSites, "restore");
        if (Round != 0 || _history.Count != 0)
        {
            throw new OrchestratorException("Restore runs once, right after Start, before any site connects.");
        }

        var rounds = LoggedRounds();
        RestoreSetup(rounds.Count > 0);
        foreach (var round in rounds)
        {
            Round = round.Round;
            if (round.StartModel != _modelDigest)
            {
                throw Inconsistent($"round {round.Round} starts from model {round.StartModel}, but the rounds before it produce {_modelDigest}");
            }

            if (round.SpendContributors is { } charged)
            {
                // The spend state is the log's: charge every logged spend again, as the auditor does.
                try
                {
                    Spends.Next(round.Round, round.Invited, charged);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException)
                {
                    throw Inconsistent($"round {round.Round}'s privacy spend does not recompute: {ex.Message}", ex);
                }
            }

            if (round.ModelDigest is not null)
            {
                Replay(round, _context.Archive ?? throw new OrchestratorException($"Plan {_context.Plan.Id} has completed rounds in its log but no aggregate archive to rebuild them from."));
            }
        }

        long? aborted = null;
        if (rounds.Count > 0 && rounds[^1] is { ModelDigest: null, Aborted: false } open)
        {
            _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundAborted(open.Round, RestartAbortReason));
            _context.Log.SignTreeHead(_context.Aggregator);
            aborted = open.Round;
        }

        if (_history.Count >= _context.Plan.Rounds)
        {
            Phase = OrchestratorPhase.Completed;
        }

        return new OrchestratorRestore(_history.Count, Round, aborted, _modelDigest);
    }

    /// <summary>
    /// Restores the protection's completed set-up (CKKS: key holders, threshold, collective key) from
    /// the set-up archive. A plan with a logged round must have a record that verifies; without a
    /// logged round a missing record means the set-up never completed, and it runs again.
    /// </summary>
    private void RestoreSetup(bool roundsLogged)
    {
        if (!_protection.HasSetup)
        {
            return;
        }

        var planId = _context.Plan.Id;
        var archive = _context.SetupArchive;
        if (archive is null)
        {
            if (roundsLogged)
            {
                throw new OrchestratorException($"Plan {planId} has rounds in its log but no set-up archive to restore its CKKS key holders from.");
            }

            return;
        }

        var file = archive.Locate(planId);
        byte[]? record;
        try
        {
            record = archive.Read(planId);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Inconsistent($"the set-up record {file} cannot be read: {ex.Message}", ex);
        }

        if (record is null)
        {
            if (roundsLogged)
            {
                throw Inconsistent($"the set-up record {file} is missing, but rounds were logged after the set-up; running it again would be refused by the sites");
            }

            return;
        }

        try
        {
            _protection.RestoreSetup(record);
        }
        catch (OrchestratorException ex)
        {
            throw Inconsistent($"the set-up record {file} is refused: {ex.Message}", ex);
        }
    }

    private void Replay(LoggedRound round, IAggregateArchive archive)
    {
        if (Step > _context.Plan.Rounds)
        {
            throw Inconsistent($"round {round.Round} is a completed round beyond the plan's {_context.Plan.Rounds}");
        }

        var spec = _context.Job.Describe(Step);
        var quantization = new QuantizationPlan(spec.Segments, round.Invited);
        double[] sum;
        try
        {
            sum = archive.Read(round.AggregateDigest!, quantization.Dimension);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Inconsistent($"round {round.Round}'s aggregate cannot be read: {ex.Message}", ex);
        }

        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        if (PrivateRound)
        {
            _context.Job.ApplyPrivate(Step, DecodePrivate(round.Round, round.Invited, sum), round.Contributors.Count);
        }
        else
        {
            metrics = _context.Job.Apply(Step, sum);
        }

        var digest = _context.Job.Digest();
        if (digest != round.ModelDigest)
        {
            throw Inconsistent($"replaying round {round.Round}'s aggregate gives model {digest}, but the log says {round.ModelDigest}");
        }

        _modelDigest = digest;
        _history.Add(new RoundRecord(round.Round, round.Contributors, round.Dropped, digest, metrics));
    }

    /// <summary>The rounds in the (already verified) log, in order, with what each reached.</summary>
    private List<LoggedRound> LoggedRounds()
    {
        var rounds = new List<LoggedRound>();
        foreach (var entry in Entries().Where(e => e.PlanId == _context.Plan.Id && e.Round > 0))
        {
            if (entry.Kind == LogEntryKind.RoundOpened)
            {
                rounds.Add(new LoggedRound(entry.Round, entry.Body["globalModel"]!.GetValue<string>(), entry.Body["sites"]!.AsArray().Count));
                continue;
            }

            var round = rounds.LastOrDefault(r => r.Round == entry.Round);
            switch (entry.Kind)
            {
                case LogEntryKind.Aggregate when round is not null:
                    round.AggregateDigest = entry.Body["digest"]!.GetValue<string>();
                    round.Contributors = [.. entry.Body["contributors"]!.AsArray().Select(n => n!.GetValue<string>())];
                    break;
                case LogEntryKind.Dropout when round is not null:
                    round.Dropped.Add(entry.Body["site"]!.GetValue<string>());
                    break;
                case LogEntryKind.Model when round is not null:
                    round.ModelDigest = entry.Body["digest"]!.GetValue<string>();
                    break;
                case LogEntryKind.PrivacySpend when round is not null:
                    round.SpendContributors = entry.Body["contributors"]!.GetValue<int>();
                    break;
                case LogEntryKind.RoundAborted when round is not null:
                    round.Aborted = true;
                    break;
            }
        }

        return rounds;
    }

    private OrchestratorException Inconsistent(string why, Exception? inner = null)
    {
        var message = $"The store of plan {_context.Plan.Id} is inconsistent: {why}. Refusing to resume; audit the log and restore the store from a backup.";
        return inner is null ? new OrchestratorException(message) : new OrchestratorException(message, inner);
    }

    /// <summary>One round as the log tells it.</summary>
    private sealed class LoggedRound(long round, string startModel, int invited)
    {
        public long Round { get; } = round;

        public string StartModel { get; } = startModel;

        public int Invited { get; } = invited;

        public string? AggregateDigest { get; set; }

        public IReadOnlyList<string> Contributors { get; set; } = [];

        public List<string> Dropped { get; } = [];

        public string? ModelDigest { get; set; }

        /// <summary>The contributors the round's privacy-spend entry charged, or null without one.</summary>
        public int? SpendContributors { get; set; }

        public bool Aborted { get; set; }
    }
}
