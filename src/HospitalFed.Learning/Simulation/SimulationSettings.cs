using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// Hyperparameters of the Fed-Heart-Disease simulation. The defaults are the documented,
/// fixed settings (docs/learning.md): conventional values chosen once before the first run and
/// not changed after seeing any result, the same for every seed. The test split is used only
/// for the final evaluation, never for tuning or early stopping.
/// </summary>
public sealed record SimulationSettings
{
    /// <summary>Centralised training (pooled and local-only): SGD, lr 0.05, batch 16, 60 epochs, L2 1e-3.</summary>
    public TrainingOptions Centralised { get; init; } = new()
    {
        Optimizer = OptimizerKind.Sgd,
        LearningRate = 0.05f,
        BatchSize = 16,
        Epochs = 60,
        L2 = 1e-3f,
    };

    /// <summary>Each site's local training per round: SGD, lr 0.05, batch 16, 10 local steps, L2 1e-3.</summary>
    public TrainingOptions Local { get; init; } = new()
    {
        Optimizer = OptimizerKind.Sgd,
        LearningRate = 0.05f,
        BatchSize = 16,
        LocalSteps = 10,
        L2 = 1e-3f,
    };

    /// <summary>Federated rounds; default 50.</summary>
    public int Rounds { get; init; } = 50;

    /// <summary>FedProx proximal mu; default 0.1.</summary>
    public float ProximalMu { get; init; } = 0.1f;

    /// <summary>Server learning rate of FedAvg and FedProx; default 1 (plain averaging).</summary>
    public float AveragingServerLearningRate { get; init; } = 1f;

    /// <summary>Server learning rate of FedAdam, FedYogi and FedAdagrad; default 0.05.</summary>
    public float AdaptiveServerLearningRate { get; init; } = 0.05f;

    /// <summary>Seeds (shuffling); the reported figures are means over them. Default 0..4.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2, 3, 4];
}
