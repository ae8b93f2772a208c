using Google.Protobuf;
using HospitalFed.Aggregator.Orchestration.Protection;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Opening rounds, closing phases and finishing rounds.</summary>
public sealed partial class Orchestrator
{
    private IReadOnlyList<Outgoing> OpenRound()
    {
        var plan = _context.Plan;
        _protection.EndRound();
        var members = _protection.Members;
        var participants = ReadySites().Where(s => members is null || members.Contains(s)).ToArray();
        if (participants.Length < Math.Max(2, plan.MinSites))
        {
            var reason = $"round {Round + 1} cannot open: {participants.Length} sites are connected, accepted the plan{(members is null ? string.Empty : " and hold key shares")}; it requires {plan.MinSites}";
            return Round == 0 ? Fail(reason) : Wait(reason);
        }

        Round++;
        WaitingReason = null;
        if (PrivateRound && PrivateRoundRefusal(participants.Length) is { } refusal)
        {
            return Fail($"round {Round} cannot open: {refusal}");
        }

        var spec = _context.Job.Describe(Step);
        var quantization = new QuantizationPlan(spec.Segments, participants.Length);
        _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
        _invitation = new RoundInvitation
        {
            PlanId = plan.Id,
            Round = Round,
            Plan = ByteString.CopyFrom(plan.CanonicalBytes),
            GlobalModelDigest = _modelDigest,
            GlobalModel = ModelBytes(spec.GlobalModel),
            MaxSites = participants.Length,
            ChunkWords = _context.Options.ChunkWords,
            PhaseDeadlineUnixMs = _deadline.ToUnixTimeMilliseconds(),
            Kind = spec.Kind,
        };
        _invitation.Participants.AddRange(participants);
        _invitation.FeatureStatistics.AddRange(spec.FeatureStatistics);
        _invitation.Quantization.AddRange(spec.Segments.Select(s => new QuantizationSegmentSpec
        {
            Name = s.Name, Length = s.Length, Bound = s.Bound, Clip = (int)s.Clip, IsInteger = s.IsInteger,
        }));
        _invitation.Approvals.AddRange(ApprovalLines());
        _protection.OpenRound(_invitation, participants, quantization);
        _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundOpened(Round, _modelDigest, participants, _deadline));
        Phase = _protection.InvitationPhase;
        return Broadcast(participants, new SiteTask { Invitation = _invitation });
    }

    /// <summary>Closes the current phase: everyone expected answered, or the deadline passed.</summary>
    private IReadOnlyList<Outgoing> ClosePhase()
    {
        if (Phase == OrchestratorPhase.Countersigning)
        {
            Phase = OrchestratorPhase.Completed; // everyone connected countersigned, or the deadline passed
            return [];
        }

        // A site silent after its protected input arrived is still a participant (its input is in
        // the sum), so only silences up to input collection are dropouts; set-up phases belong to
        // no round and log nothing.
        var silent = _awaiting.Order(StringComparer.Ordinal).ToArray();
        if (Phase is OrchestratorPhase.AdvertisingKeys or OrchestratorPhase.SharingKeys or OrchestratorPhase.CollectingInputs)
        {
            foreach (var site in silent)
            {
                _context.Log.AppendSigned(_context.Aggregator, LogEntries.Dropout(Round, site, _protection.StageName(Phase)));
            }
        }

        _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
        ProtectionStep step;
        try
        {
            step = _protection.Close(Phase, silent);
        }
        catch (Exception ex) when (ex is SecAggException or RoundAbortedException)
        {
            // The protection refuses rather than reveal a wrong or partial sum; the log records the
            // round as aborted without a model. A round is never re-opened: once enough sites are
            // connected again the plan goes on under the next round number, as after a restart. A
            // set-up that cannot complete ends the plan (its key holders are fixed).
            if (Round == 0)
            {
                var recipients = _invitation?.Participants.ToArray() ?? [.. _protection.Members ?? []];
                Fail($"set-up aborted: {ex.Message}");
                return Broadcast(recipients, new SiteTask { Aborted = new RoundAborted { PlanId = _context.Plan.Id, Round = Round, Reason = ex.Message } });
            }

            return AbortRound(ex.Message);
        }

        if (step.Participants is not null)
        {
            _context.Log.AppendSigned(_context.Aggregator, LogEntries.Participants(Round, step.Participants));
            if (PrivateRound && TooFewContributors(step.Participants.Count) is { } tooFew)
            {
                return AbortRound(tooFew); // before any site reveals a share: the noised sum is never unmasked
            }

            if (PrivateRound && Charge(step.Participants.Count) is { } overspend)
            {
                return StopForBudget(overspend); // likewise: nothing is unmasked
            }
        }

        if (step.Sum is not null)
        {
            return FinishRound(step.Sum);
        }

        if (step.SetupComplete)
        {
            if (step.SetupRecord is { } record)
            {
                _context.SetupArchive?.Keep(_context.Plan.Id, record); // on disk before round 1 is logged
            }

            return OpenRound();
        }

        Phase = step.Phase;
        return Assign(step.Tasks);
    }

    /// <summary>
    /// Aborts the current round (never round 0): logs why, tells its participants, and waits for
    /// sites to go on under the next round number. The protection refuses rather than reveal a wrong
    /// or partial sum; the log records the round as aborted without a model. A round is never
    /// re-opened: once enough sites are connected again the plan goes on under the next round
    /// number, as after a restart.
    /// </summary>
    private List<Outgoing> AbortRound(string message)
    {
        var recipients = _invitation?.Participants.ToArray() ?? [.. _protection.Members ?? []];
        var reason = message.StartsWith($"round {Round} aborted", StringComparison.Ordinal) ? message : $"round {Round} aborted: {message}";
        var aborted = new SiteTask { Aborted = new RoundAborted { PlanId = _context.Plan.Id, Round = Round, Reason = message } };
        _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundAborted(Round, message));
        _context.Log.SignTreeHead(_context.Aggregator);
        Wait(reason);
        return ProtectionStep.Broadcast(recipients, aborted).Select(t => new Outgoing(t.Key, t.Value)).ToList();
    }

    private IReadOnlyList<Outgoing> FinishRound(RoundSum aggregate)
    {
        var previous = _modelDigest;
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        if (!PrivateRound)
        {
            metrics = _context.Job.Apply(Step, aggregate.Sum);
        }
        else if (ReleasePrivate(aggregate) is { } stopped)
        {
            return stopped;
        }

        _modelDigest = _context.Job.Digest();
        var log = _context.Log;
        var author = _context.Aggregator;
        _context.Archive?.Keep(aggregate.Digest, aggregate.Sum); // on disk before the log says the round has an aggregate
        log.AppendSigned(author, LogEntries.Aggregate(Round, aggregate.Digest, aggregate.Contributors));
        log.AppendSigned(author, LogEntries.Model(Round, previous, _modelDigest));
        if (metrics.TryGetValue("test_rows", out var rows))
        {
            log.AppendSigned(author, LogEntries.Metrics(Round, (long)rows, metrics.Where(m => m.Key != "test_rows").ToDictionary()));
        }

        var head = log.SignTreeHead(author); // signs and appends the head over every entry so far
        _history.Add(new RoundRecord(Round, aggregate.Contributors, aggregate.Dropped, _modelDigest, metrics));
        _protection.EndRound();
        var completed = _history.Count == _context.Plan.Rounds;
        var result = new RoundResult
        {
            PlanId = _context.Plan.Id,
            Round = Round,
            ModelDigest = _modelDigest,
            Model = ModelBytes(_context.Job.GlobalModel),
            PlanCompleted = completed,
        };
        result.Contributors.AddRange(aggregate.Contributors);
        var participants = _invitation!.Participants.ToArray();
        var outgoing = Assign(ResultTasks(result, head, participants));
        if (completed)
        {
            // The final head is countersigned before the plan is reported complete, so an auditor
            // holding the sites' heads can tell a log cut after the last round.
            return AwaitFinalCountersignatures(outgoing);
        }

        _awaiting.Clear(); // countersignatures arrive during the next round; the result stays due for a site that reconnects
        return [.. outgoing, .. OpenRound()];
    }

    /// <summary>Sends <paramref name="task"/> to every listed site, remembers it as due and awaits each one's answer.</summary>
    private List<Outgoing> Broadcast(IEnumerable<string> sites, SiteTask task) =>
        Assign(ProtectionStep.Broadcast(sites, task));

    /// <summary>Sends each site its task, remembers it as due and awaits each one's answer.</summary>
    private List<Outgoing> Assign(IReadOnlyDictionary<string, SiteTask> tasks)
    {
        _due.Clear();
        _awaiting.Clear();
        var outgoing = new List<Outgoing>();
        foreach (var (site, task) in tasks.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            _due[site] = task;
            _awaiting.Add(site);
            outgoing.Add(new Outgoing(site, task));
        }

        return outgoing;
    }
}
