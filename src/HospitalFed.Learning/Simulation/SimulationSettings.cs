using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// Hyperparameters of an in-process simulation (<see cref="FederatedSimulation"/>). The defaults
/// are the library's own defaults (<see cref="TrainingOptions"/>, docs/learning.md section 4),
/// fixed before the first run and the same for every dataset and seed; the test split is used
/// only for the final evaluation, never for tuning or early stopping (early stopping uses a
/// validation split of each site's training rows).
/// </summary>
public sealed record SimulationSettings
{
    /// <summary>The strategies of the default simulation: FedAvg, FedProx (mu 0.1), FedAdam, FedYogi, FedAdagrad (server learning rate 0.05).</summary>
    public static IReadOnlyList<StrategySpec> DefaultStrategies { get; } =
    [
        new() { Kind = StrategyKind.FedAvg },
        new() { Kind = StrategyKind.FedProx, ProximalMu = 0.1f },
        new() { Kind = StrategyKind.FedAdam, ServerLearningRate = 0.05f },
        new() { Kind = StrategyKind.FedYogi, ServerLearningRate = 0.05f },
        new() { Kind = StrategyKind.FedAdagrad, ServerLearningRate = 0.05f },
    ];

    /// <summary>The model; default logistic regression.</summary>
    public FederatedModel Model { get; init; } = FederatedModel.LogisticRegression;

    /// <summary>
    /// Centralised training (pooled and local-only): the <see cref="TrainingOptions"/> defaults
    /// with up to 50 epochs, the schedule spanning them.
    /// </summary>
    public TrainingOptions Centralised { get; init; } = new() { Epochs = 50 };

    /// <summary>
    /// Each site's local training per round: default the <see cref="TrainingOptions"/> defaults.
    /// The schedule spans the rounds: round t of T trains at the rate for t/T of the way through,
    /// as a plan's round t + 1 does at a site (round 1 of a plan pools the feature statistics).
    /// </summary>
    public TrainingOptions Local { get; init; } = new();

    /// <summary>Federated training rounds; default 50.</summary>
    public int Rounds { get; init; } = 50;

    /// <summary>The federated strategies to run, one result row each; default <see cref="DefaultStrategies"/>.</summary>
    public IReadOnlyList<StrategySpec> Strategies { get; init; } = DefaultStrategies;

    /// <summary>Seeds (initialisation, shuffling, validation split); the reported figures are means over them. Default 0..4.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2, 3, 4];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        ArgumentNullException.ThrowIfNull(Centralised, nameof(Centralised));
        ArgumentNullException.ThrowIfNull(Local, nameof(Local));
        ArgumentNullException.ThrowIfNull(Strategies, nameof(Strategies));
        ArgumentNullException.ThrowIfNull(Seeds, nameof(Seeds));
        Centralised.Validate();
        Local.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Rounds, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfZero(Seeds.Count, nameof(Seeds));
        foreach (var strategy in Strategies)
        {
            _ = strategy.Create(1);
        }
    }
}
