using HospitalFed.Learning.Privacy;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Simulation;

/// <summary>
/// Writes the privacy-spend entries of a plan with differential privacy the way the contract
/// (<see cref="LogEntries.PrivacySpend"/>) asks the aggregator to: one per training round, before
/// its aggregate, with the running total. The aggregator charges its rounds with it (and a
/// restarted one recomputes its total by charging the logged rounds again); simulations and tests
/// build genuine DP logs with it.
/// </summary>
public sealed class PrivacySpends
{
    private readonly PlanPrivacy _privacy;
    private readonly int _dimension;

    /// <summary>Tracks the spend of <paramref name="plan"/> (which must have a privacy section) over updates of <paramref name="dimension"/> coordinates.</summary>
    /// <exception cref="ArgumentException">The plan has no privacy section.</exception>
    public PrivacySpends(TrainingPlan plan, int dimension)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _privacy = plan.Privacy ?? throw new ArgumentException($"plan {plan.Id} has no privacy section", nameof(plan));
        _dimension = dimension;
    }

    /// <summary>The zCDP spent so far.</summary>
    public double SpentRho { get; private set; }

    /// <summary>
    /// Why charging a round with <paramref name="invited"/> sites invited and <paramref name="contributors"/>
    /// in its sum would exceed the approved epsilon (naming the figures), or null when it fits. Charges nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer contributors than the plan's minContributors.</exception>
    public string? Overspend(long round, int invited, int contributors)
    {
        var roundRho = _privacy.Round(_dimension, invited).RoundRho(contributors);
        if (new PrivacyBudget(_privacy.Epsilon, _privacy.Delta, SpentRho).Fits(roundRho))
        {
            return null;
        }

        var total = SpentRho + roundRho;
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"privacy budget: round {round} with {contributors} contributors would bring the spend to epsilon {ZcdpConversion.Epsilon(total, _privacy.Delta):0.####}, beyond the {_privacy.Epsilon:G6} approved (delta {_privacy.Delta:G3}, zCDP rho {total:G6}); the plan stops before its budget is exceeded");
    }

    /// <summary>
    /// The spend entry of training round <paramref name="round"/> with <paramref name="invited"/>
    /// sites invited and <paramref name="contributors"/> in its sum; charges it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The round would exceed the approved epsilon (nothing is charged).</exception>
    public EntryContent Next(long round, int invited, int contributors)
    {
        var mechanism = _privacy.Round(_dimension, invited);
        var roundRho = mechanism.RoundRho(contributors);
        var budget = new PrivacyBudget(_privacy.Epsilon, _privacy.Delta, SpentRho).Spend(roundRho);
        SpentRho = budget.SpentRho;
        return LogEntries.PrivacySpend(round, contributors, _dimension, mechanism.Scale, roundRho, budget.SpentRho, budget.SpentEpsilon, _privacy.Delta);
    }
}
