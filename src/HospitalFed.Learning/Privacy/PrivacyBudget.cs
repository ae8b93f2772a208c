using HospitalFed.Learning.Privacy.Internal;

namespace HospitalFed.Learning.Privacy;

/// <summary>
/// An approved (epsilon, delta) budget and the zCDP spent against it so far. Rounds compose by
/// adding their rho (Bun and Steinke, TCC 2016, Lemma 2.3); the spend is converted to epsilon at
/// <see cref="Delta"/> with <see cref="ZcdpConversion.Epsilon"/>. Immutable: <see cref="Spend"/>
/// returns the next budget. The aggregator asks <see cref="Fits"/> before releasing a round, so a
/// plan stops before its budget would be exceeded, never after.
/// </summary>
public sealed record PrivacyBudget
{
    /// <summary>Creates a budget and checks every parameter.</summary>
    /// <param name="epsilon">Approved epsilon, greater than 0.</param>
    /// <param name="delta">Approved delta, strictly between 0 and 1.</param>
    /// <param name="spentRho">zCDP already spent, at least 0; defaults to 0 (nothing spent). It may exceed the budget (for example when an auditor replays a log), which <see cref="IsExceeded"/> reports.</param>
    /// <param name="roundsSpent">Rounds already charged, at least 0; defaults to 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public PrivacyBudget(double epsilon, double delta, double spentRho = 0, int roundsSpent = 0)
    {
        PrivacyArguments.Positive(epsilon, nameof(epsilon));
        PrivacyArguments.Delta(delta, nameof(delta));
        PrivacyArguments.NonNegative(spentRho, nameof(spentRho));
        PrivacyArguments.AtLeast(roundsSpent, 0, nameof(roundsSpent));
        Epsilon = epsilon;
        Delta = delta;
        SpentRho = spentRho;
        RoundsSpent = roundsSpent;
    }

    /// <summary>Approved epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>Approved delta.</summary>
    public double Delta { get; }

    /// <summary>The zCDP rho spent so far, summed over the charged rounds.</summary>
    public double SpentRho { get; }

    /// <summary>Rounds charged so far.</summary>
    public int RoundsSpent { get; }

    /// <summary>The epsilon spent so far at <see cref="Delta"/>.</summary>
    public double SpentEpsilon => ZcdpConversion.Epsilon(SpentRho, Delta);

    /// <summary>Whether the spend so far is already beyond the approved epsilon.</summary>
    public bool IsExceeded => SpentEpsilon > Epsilon;

    /// <summary>Whether one more round costing <paramref name="roundRho"/> keeps the spend within the budget.</summary>
    /// <param name="roundRho">The round's zCDP cost (for example <see cref="DistributedDiscreteGaussian.RoundRho"/>), at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roundRho"/> is negative or not finite.</exception>
    public bool Fits(double roundRho)
    {
        PrivacyArguments.NonNegative(roundRho, nameof(roundRho));
        return ZcdpConversion.Epsilon(SpentRho + roundRho, Delta) <= Epsilon;
    }

    /// <summary>Charges one round and returns the resulting budget.</summary>
    /// <param name="roundRho">The round's zCDP cost, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roundRho"/> is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">The round does not fit: charging it would exceed the budget.</exception>
    public PrivacyBudget Spend(double roundRho)
    {
        if (!Fits(roundRho))
        {
            throw new InvalidOperationException(
                $"Round {RoundsSpent + 1} costs rho {roundRho:G6} and would bring the spend to epsilon {ZcdpConversion.Epsilon(SpentRho + roundRho, Delta):G6}, beyond the approved epsilon {Epsilon:G6} at delta {Delta:G3}.");
        }

        return new PrivacyBudget(Epsilon, Delta, SpentRho + roundRho, RoundsSpent + 1);
    }

    /// <summary>How many more rounds, each costing <paramref name="roundRho"/>, fit in the budget.</summary>
    /// <param name="roundRho">The cost of each round, greater than 0.</param>
    /// <returns>The largest n such that a spend of <see cref="SpentRho"/> + n * <paramref name="roundRho"/> is within the budget.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roundRho"/> is not a positive finite number.</exception>
    public int RoundsThatFit(double roundRho)
    {
        PrivacyArguments.Positive(roundRho, nameof(roundRho));
        var room = NoiseCalibration.MaximumRho(Epsilon, Delta) - SpentRho;
        if (room < 0)
        {
            return 0;
        }

        var estimate = Math.Floor(room / roundRho);
        var count = estimate >= int.MaxValue ? int.MaxValue - 1 : (int)estimate;

        // The estimate can be off by one where bisection and rounding meet; settle it the way Spend decides.
        while (count > 0 && !FitsAfter(count, roundRho))
        {
            count--;
        }

        while (count < int.MaxValue - 1 && FitsAfter(count + 1, roundRho))
        {
            count++;
        }

        return count;
    }

    private bool FitsAfter(int rounds, double roundRho)
    {
        return ZcdpConversion.Epsilon(SpentRho + (rounds * roundRho), Delta) <= Epsilon;
    }
}
