using HospitalFed.Aggregator.Orchestration.Protection;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Differential privacy (docs/privacy.md): the charge of every training round of a plan with a
/// <c>privacy</c> section, logged before its sum is unmasked and decoded, and the decoding of the noised sum
/// with the round's distributed discrete Gaussian mechanism (Kairouz, Liu and Steinke, ICML 2021,
/// Algorithm 2).
/// </summary>
public sealed partial class Orchestrator
{
    private PrivacySpends? _spends;
    private long _chargedRound;
    private int _chargedContributors;

    /// <summary>Whether the next round to complete (<see cref="Step"/>) is a training round of a plan with privacy.</summary>
    private bool PrivateRound => _context.Plan.Privacy is not null && _context.Job.Describe(Step).Kind == RoundKind.Training;

    /// <summary>The plan's running spend (the log holds it; a restarted aggregator recomputes it in <see cref="Restore"/>).</summary>
    private PrivacySpends Spends => _spends ??= new PrivacySpends(_context.Plan, _context.Job.GlobalModel.Length);

    /// <summary>Why a sum of <paramref name="contributors"/> sites' noised inputs must not be released (fewer than m), or null.</summary>
    private string? TooFewContributors(int contributors)
    {
        var m = _context.Plan.Privacy!.MinContributors;
        return contributors >= m ? null
            : $"round {Round} aborted: {contributors} contributors, fewer than the privacy section's minContributors {m}; their noise shares carry less noise than approved, so the sum is not released";
    }

    /// <summary>
    /// Before a private round opens with <paramref name="invited"/> sites: why it cannot run (its
    /// mechanism does not fit 32 bits, or even all invited sites contributing would overspend), or null.
    /// </summary>
    private string? PrivateRoundRefusal(int invited)
    {
        try
        {
            return Spends.Overspend(Round, invited, invited);
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Charges the current round for <paramref name="contributors"/> contributors with a signed
    /// privacy-spend entry, once: when its masked inputs are in, before any site is asked for an
    /// unmasking share, so a sum this aggregator could ever compute is charged even if the round
    /// is interrupted afterwards (the charge stays in the log).
    /// </summary>
    /// <returns>Null when charged (now or before); otherwise why the plan must stop (the spend would exceed the budget; nothing is charged).</returns>
    private string? Charge(int contributors)
    {
        if (_chargedRound == Round)
        {
            return null;
        }

        var invited = _invitation!.Participants.Count;
        if (Spends.Overspend(Round, invited, contributors) is { } overspend)
        {
            return overspend;
        }

        _context.Log.AppendSigned(_context.Aggregator, Spends.Next(Round, invited, contributors));
        _chargedRound = Round;
        _chargedContributors = contributors;
        return null;
    }

    /// <summary>Stops the plan before its budget is exceeded: the round is logged as aborted, nothing is unmasked, decoded or released.</summary>
    private List<Outgoing> StopForBudget(string overspend)
    {
        var recipients = _invitation!.Participants.ToArray();
        _context.Log.AppendSigned(_context.Aggregator, LogEntries.RoundAborted(Round, overspend));
        _context.Log.SignTreeHead(_context.Aggregator);
        Fail($"round {Round} aborted: {overspend}");
        return Broadcast(recipients, new SiteTask { Aborted = new RoundAborted { PlanId = _context.Plan.Id, Round = Round, Reason = overspend } });
    }

    /// <summary>
    /// Releases a private round's sum: at least m contributors, charged for exactly them (normally
    /// already, when the masked inputs closed), then decoded and applied.
    /// </summary>
    /// <returns>Null when applied; otherwise the tasks of the abort or stop that replaced it.</returns>
    private List<Outgoing>? ReleasePrivate(RoundSum aggregate)
    {
        var contributors = aggregate.Contributors.Count;
        if (TooFewContributors(contributors) is { } tooFew)
        {
            return AbortRound(tooFew);
        }

        if (Charge(contributors) is { } overspend)
        {
            return StopForBudget(overspend);
        }

        if (_chargedContributors != contributors)
        {
            return AbortRound($"round {Round} aborted: the sum has {contributors} contributors but the round was charged for {_chargedContributors}; it is not released");
        }

        var invited = _invitation!.Participants.Count;
        _context.Job.ApplyPrivate(Step, DecodePrivate(Round, invited, aggregate.Sum), contributors);
        return null;
    }

    /// <summary>
    /// Algorithm 2 of the paper: the unmasked sum (each word read as a signed 32-bit integer, as the
    /// round's integer segment decodes it) divided by the scale, rotated back and unpadded.
    /// </summary>
    private double[] DecodePrivate(long round, int invited, double[] signedWords)
    {
        var dimension = _context.Job.GlobalModel.Length;
        var mechanism = _context.Plan.Privacy!.Round(dimension, invited).Mechanism(_context.Plan.Id, round);
        var words = new uint[signedWords.Length];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = unchecked((uint)(int)signedWords[i]);
        }

        var deltaSum = new double[dimension];
        mechanism.DecodeSum(words, deltaSum);
        return deltaSum;
    }
}
