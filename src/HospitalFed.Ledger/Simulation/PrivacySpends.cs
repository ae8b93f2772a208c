using HospitalFed.Learning.Privacy;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Simulation;

/// <summary>
/// Writes the privacy-spend entries of a plan with differential privacy the way the contract
/// (<see cref="LogEntries.PrivacySpend"/>) asks the aggregator to: one per training round, before
/// its aggregate, with the running total. For simulations and tests that build genuine DP logs.
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
