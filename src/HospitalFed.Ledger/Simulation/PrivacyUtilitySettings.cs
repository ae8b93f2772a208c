using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Simulation;

/// <summary>What <see cref="PrivacyUtilitySimulation"/> runs; the defaults are those of docs/learning.md, "Utility under differential privacy".</summary>
public sealed record PrivacyUtilitySettings
{
    /// <summary>The default clip norm: 0.5 (L2 norm of each site's model delta per round).</summary>
    public const double DefaultClipNorm = 0.5;

    /// <summary>The default training rounds: 5 (a plan of 6 rounds).</summary>
    public const int DefaultRounds = 5;

    /// <summary>The default most local epochs per round: 5 (the plan default is 1; under DP fewer, larger steps waste less of the budget).</summary>
    public const int DefaultLocalEpochs = 5;

    /// <summary>The default local learning rate: 0.5 (the plan default is 0.05).</summary>
    public const double DefaultLearningRate = 0.5;

    /// <summary>The plan budgets to run, each in (0, <see cref="PlanPrivacy.MaxEpsilon"/>] or positive infinity (no differential privacy); default 1, 3, 8, infinity.</summary>
    public IReadOnlyList<double> Epsilons { get; init; } = [1, 3, 8, double.PositiveInfinity];

    /// <summary>The plan's delta, in (0, <see cref="PlanPrivacy.MaxDelta"/>]; default 1e-5.</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>The plan's clip norm c, in (0, <see cref="PlanPrivacy.MaxClipNorm"/>]; default <see cref="DefaultClipNorm"/>.</summary>
    public double ClipNorm { get; init; } = DefaultClipNorm;

    /// <summary>
    /// Local training, training rounds and seeds: default the plan defaults (<see cref="TrainingOptions"/>)
    /// except up to <see cref="DefaultLocalEpochs"/> epochs at learning rate <see cref="DefaultLearningRate"/>,
    /// <see cref="DefaultRounds"/> rounds and seeds 0 to 4 (chosen on a synthetic cohort of another
    /// seed, docs/learning.md). The model must be logistic regression; the strategies are not used.
    /// </summary>
    public SimulationSettings Simulation { get; init; } = new()
    {
        Rounds = DefaultRounds,
        Local = new TrainingOptions { Epochs = DefaultLocalEpochs, LearningRate = (float)DefaultLearningRate },
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Epsilons, nameof(Epsilons));
        ArgumentNullException.ThrowIfNull(Simulation, nameof(Simulation));
        if (Epsilons.Count == 0)
        {
            throw new ArgumentException("no epsilon to run", nameof(Epsilons));
        }

        foreach (var epsilon in Epsilons)
        {
            if (!double.IsPositiveInfinity(epsilon) && !(epsilon > 0 && epsilon <= PlanPrivacy.MaxEpsilon))
            {
                throw new ArgumentException($"epsilon {epsilon} is not in (0, {PlanPrivacy.MaxEpsilon}] or infinity", nameof(Epsilons));
            }
        }

        if (!(Delta > 0 && Delta <= PlanPrivacy.MaxDelta))
        {
            throw new ArgumentException($"delta {Delta} is not in (0, {PlanPrivacy.MaxDelta}]", nameof(Delta));
        }

        if (!(ClipNorm > 0 && ClipNorm <= PlanPrivacy.MaxClipNorm))
        {
            throw new ArgumentException($"clip norm {ClipNorm} is not in (0, {PlanPrivacy.MaxClipNorm}]", nameof(ClipNorm));
        }

        if (Simulation.Model is null || Simulation.Model.Kind != Learning.Configuration.ModelKind.LogisticRegression)
        {
            throw new ArgumentException("the private FedAvg simulation trains logistic regression", nameof(Simulation));
        }

        Simulation.Validate();
    }
}
