using Google.Protobuf;
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
        ClearUploads();
        var participants = ReadySites().ToArray();
        if (participants.Length < Math.Max(2, plan.MinSites))
        {
            return Fail($"round {Round + 1} cannot open: {participants.Length} sites are connected and accepted the plan; it requires {plan.MinSites}");
        }

        Round++;

        // t > 2n/3 tolerates n - t dropouts while an active adversary controlling the aggregator
        // cannot split honest sites into two views (Bonawitz et al. 2017, section 6.2); never below
        // the plan's minimum, so no sum of fewer sites than agreed is ever revealed.
        var threshold = Math.Min(participants.Length, Math.Max(plan.MinSites, (2 * participants.Length / 3) + 1));
        var spec = _context.Job.Describe(Step);
        var quantization = new QuantizationPlan(spec.Segments, participants.Length);
        _session = new AggregatorSession(
            new SecAggParameters(plan.Id, Round, participants, threshold, quantization, chunkWords: _context.Options.ChunkWords),
            _context.Trust,
            _time);
        _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
        _invitation = new RoundInvitation
        {
            PlanId = plan.Id,
            Round = Round,
            Plan = ByteString.CopyFrom(plan.CanonicalBytes),
            GlobalModelDigest = _modelDigest,
            GlobalModel = ModelBytes(spec.GlobalModel),
            Threshold = threshold,
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
        _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundOpened(Round, _modelDigest, participants, _deadline));
        Phase = OrchestratorPhase.AdvertisingKeys;
        return Broadcast(participants, new SiteTask { Invitation = _invitation });
    }

    /// <summary>Closes the current phase: everyone expected answered, or the deadline passed.</summary>
    private IReadOnlyList<Outgoing> ClosePhase()
    {
        var session = _session!;
        // A site silent after its masked input arrived is still a participant (its input is in the
        // sum and its self-mask is recovered from shares), so only earlier silences are dropouts.
        if (Phase <= OrchestratorPhase.CollectingInputs)
        {
            foreach (var site in _awaiting.Order(StringComparer.Ordinal))
            {
                _context.Log.AppendSigned(_context.Aggregator, LogEntries.Dropout(Round, site, StageName(Phase)));
            }
        }

        _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
        try
        {
            switch (Phase)
            {
                case OrchestratorPhase.AdvertisingKeys:
                    var keys = session.CloseKeyAdvertisement();
                    Phase = OrchestratorPhase.SharingKeys;
                    return Broadcast(keys.Keys.Select(k => k.Sender), new SiteTask { AdvertisedKeys = keys });
                case OrchestratorPhase.SharingKeys:
                    var deliveries = session.CloseShareKeys();
                    Phase = OrchestratorPhase.CollectingInputs;
                    _due.Clear();
                    _awaiting.Clear();
                    foreach (var delivery in deliveries)
                    {
                        _due[delivery.Recipient] = new SiteTask { Shares = delivery };
                        _awaiting.Add(delivery.Recipient);
                    }

                    return [.. _due.Select(d => new Outgoing(d.Key, d.Value))];
                case OrchestratorPhase.CollectingInputs:
                    var survivors = session.CloseMaskedInput();
                    _context.Log.AppendSigned(_context.Aggregator, LogEntries.Participants(Round, survivors.Survivors));
                    Phase = OrchestratorPhase.CheckingConsistency;
                    return Broadcast(survivors.Survivors, new SiteTask { Survivors = survivors });
                case OrchestratorPhase.CheckingConsistency:
                    var requests = session.CloseConsistencyCheck();
                    Phase = OrchestratorPhase.Unmasking;
                    _due.Clear();
                    _awaiting.Clear();
                    foreach (var request in requests)
                    {
                        _due[request.Recipient] = new SiteTask { Unmask = request };
                        _awaiting.Add(request.Recipient);
                    }

                    return [.. _due.Select(d => new Outgoing(d.Key, d.Value))];
                case OrchestratorPhase.Unmasking:
                    return FinishRound(session.Finish());
                default:
                    throw new OrchestratorException($"No phase to close in {Phase}.");
            }
        }
        catch (SecAggException ex)
        {
            // The SecAgg session refuses rather than reveal a wrong or partial sum; the log records
            // the round as opened without a model, and the plan stops (a round is never re-opened).
            var participants = _invitation!.Participants.ToArray();
            _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundAborted(Round, ex.Message));
            Fail($"round {Round} aborted: {ex.Message}");
            return Broadcast(participants, new SiteTask { Aborted = new RoundAborted { PlanId = _context.Plan.Id, Round = Round, Reason = ex.Message } });
        }
    }

    private IReadOnlyList<Outgoing> FinishRound(SecAggAggregate aggregate)
    {
        var sum = aggregate.Decode();
        var previous = _modelDigest;
        var metrics = _context.Job.Apply(Step, sum);
        _modelDigest = _context.Job.Digest();
        var log = _context.Log;
        var author = _context.Aggregator;
        var aggregateDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(aggregate.Sum.Span)));
        _context.Archive?.Keep(aggregateDigest, aggregate.Sum.Span); // on disk before the log says the round has an aggregate
        log.AppendSigned(author, LogEntries.Aggregate(Round, aggregateDigest, aggregate.Contributors));
        log.AppendSigned(author, LogEntries.Model(Round, previous, _modelDigest));
        if (metrics.TryGetValue("test_rows", out var rows))
        {
            log.AppendSigned(author, LogEntries.Metrics(Round, (long)rows, metrics.Where(m => m.Key != "test_rows").ToDictionary()));
        }

        log.SignTreeHead(author); // signs and appends the head over every entry so far
        _history.Add(new RoundRecord(Round, aggregate.Contributors, aggregate.Dropped, _modelDigest, metrics));
        _session!.Dispose();
        _session = null;
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
        var outgoing = Broadcast(participants, new SiteTask { Result = result });
        _awaiting.Clear(); // a result needs no answer; it stays due for a site that reconnects
        if (completed)
        {
            Phase = OrchestratorPhase.Completed;
            return outgoing;
        }

        return [.. outgoing, .. OpenRound()];
    }

    private static string StageName(OrchestratorPhase phase) => phase switch
    {
        OrchestratorPhase.AdvertisingKeys => "advertise-keys",
        OrchestratorPhase.SharingKeys => "share-keys",
        _ => "masked-input",
    };

    /// <summary>Sends <paramref name="task"/> to every listed site, remembers it as due and awaits each one's answer.</summary>
    private List<Outgoing> Broadcast(IEnumerable<string> sites, SiteTask task)
    {
        _due.Clear();
        _awaiting.Clear();
        var outgoing = new List<Outgoing>();
        foreach (var site in sites)
        {
            _due[site] = task;
            _awaiting.Add(site);
            outgoing.Add(new Outgoing(site, task));
        }

        return outgoing;
    }
}
