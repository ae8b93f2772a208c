using Google.Protobuf;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.State;

namespace HospitalFed.Site.Rounds;

/// <summary>What the site remembers across restarts, and the round checks that depend on it.</summary>
public sealed partial class SiteAgent
{
    private long _unmaskedRound;

    /// <summary>
    /// The state to persist (the worker saves it, atomically, before sending the reply that changed
    /// it); null until the site first decides on or joins a plan.
    /// </summary>
    public SitePlanState? State { get; private set; }

    private void Resume(SitePlanState? state)
    {
        State = state;
        if (state is not null)
        {
            LastCompletedRound = state.LastCompletedRound;
            ModelDigest = state.ModelDigest;
            PlanCompleted = state.PlanCompleted;
            PlanEnded = state.PlanCompleted || state.HeadRefusal is not null;
            LastRefusal = state.HeadRefusal;
        }
    }

    /// <summary>The decision already signed for <paramref name="planId"/>: a restarted site sends it again rather than deciding anew.</summary>
    private ByteString? RememberedDecision(string planId) =>
        State is { Decision: { } line } state && state.PlanId == planId ? ByteString.CopyFromUtf8(line) : null;

    /// <summary>The reasons signed in a remembered decision (a restarted site that declined tells why again).</summary>
    private static string RememberedReasons(ByteString decision)
    {
        var reasons = HospitalFed.Ledger.Log.LogLine.Decode(decision.Memory, out _).Body["reasons"]?.AsArray();
        return reasons is { Count: > 0 } ? string.Join("; ", reasons.Select(r => r!.GetValue<string>())) : "no reason recorded";
    }

    private void RememberDecision(string planId, bool accepted, byte[] line) =>
        Remember(planId, s => s with { Accepted = accepted, Decision = System.Text.Encoding.UTF8.GetString(line) });

    private void RememberJoined(string planId, long round) => Remember(planId, s => s with { LastJoinedRound = round });

    private void RememberResult(RoundResult result) =>
        Remember(result.PlanId, s => s with { LastCompletedRound = result.Round, ModelDigest = result.ModelDigest, PlanCompleted = result.PlanCompleted });

    private void Remember(string planId, Func<SitePlanState, SitePlanState> change)
    {
        var current = State is { } state && state.PlanId == planId ? state : new SitePlanState(planId, true, null, 0, 0, 0, null, false);
        State = change(current);
    }

    /// <summary>
    /// The round-number checks before joining. Round numbers only grow: a round at or below the last
    /// one joined is refused, so no task, signature or mask of an earlier (possibly aborted) round can
    /// be replayed into a new one. The plan's round count bounds the rounds this site lets be
    /// unmasked, not the round numbers, which an aggregator restart advances past aborted rounds.
    /// </summary>
    private IEnumerable<string> VetRound(string planId, long round, long planRounds)
    {
        if (round < 1)
        {
            yield return $"round {round} is not a round number";
        }

        if (State is { } state && state.PlanId == planId)
        {
            if (round <= state.LastJoinedRound)
            {
                yield return $"round {round} is not after round {state.LastJoinedRound}, the last this site joined (round numbers are never reused)";
            }

            if (state.UnmaskedRounds >= UnmaskBudget(planRounds))
            {
                yield return $"this site already answered unmask requests in {state.UnmaskedRounds} rounds, the plan's {planRounds} and the one spare for a round lost to an aggregator restart";
            }
        }
    }

    /// <summary>
    /// How many rounds this site lets be unmasked: the plan's, plus one spare. An aggregator that dies
    /// after collecting unmask answers may hold that round's sum although it never logged it; the
    /// spare lets the plan finish after one such restart, and bounds what a lying aggregator gains by
    /// "restarting" to a single extra sum (never an individual update). A second such loss stops
    /// the plan at its last round (the site declines), and the operator re-proposes.
    /// </summary>
    private static long UnmaskBudget(long planRounds) => planRounds + 1;

    /// <summary>
    /// Answers a request that reveals a sum (pairwise: unmask; CKKS: decryption shares) through the
    /// plan's protection, which refuses any round but the current one, and counts the round once
    /// against <see cref="UnmaskBudget"/>.
    /// </summary>
    private SiteReply Reveal(SiteTask task)
    {
        var (planId, round) = task.TaskCase == SiteTask.TaskOneofCase.Unmask
            ? (task.Unmask.PlanId, task.Unmask.Round)
            : (task.CkksDecryption.Request.PlanId, task.CkksDecryption.Request.Round);
        var reply = _protection?.Handle(task) ?? throw new InvalidOperationException($"A {task.TaskCase} task arrived, but this site has joined no round.");
        if (_unmaskedRound != round)
        {
            _unmaskedRound = round;
            Remember(planId, s => s with { UnmaskedRounds = s.UnmaskedRounds + 1 });
        }

        return reply;
    }
}
