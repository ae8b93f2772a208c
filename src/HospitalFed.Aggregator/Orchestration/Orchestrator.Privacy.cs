using HospitalFed.Aggregator.Orchestration.Protection;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Differential privacy (docs/privacy.md): the charge of every training round of a plan with a
/// <c>privacy</c> section, logged before its sum is decoded, and the decoding of the noised sum
/// with the round's distributed discrete Gaussian mechanism (Kairouz, Liu and Steinke, ICML 2021,
/// Algorithm 2).
/// </summary>
public sealed partial class Orchestrator
{
    private PrivacySpends? _spends;

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
    /// Charges the current round for <paramref name="aggregate"/>'s contributors (a signed
    /// privacy-spend entry, before the aggregate's), decodes the noised sum and applies it.
    /// </summary>
    /// <returns>Null when applied; otherwise why the plan must stop (the spend would exceed the budget; nothing is charged or released).</returns>
    private string? ChargeAndApplyPrivate(RoundSum aggregate)
    {
        var invited = _invitation!.Participants.Count;
        var contributors = aggregate.Contributors.Count;
        if (Spends.Overspend(Round, invited, contributors) is { } overspend)
        {
            return overspend;
        }

        _context.Log.AppendSigned(_context.Aggregator, Spends.Next(Round, invited, contributors));
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
