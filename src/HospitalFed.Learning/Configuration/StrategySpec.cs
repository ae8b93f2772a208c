using HospitalFed.Learning.Federation;

namespace HospitalFed.Learning.Configuration;

/// <summary>Which server strategy to run and its hyperparameters (defaults are Reddi et al. 2021's).</summary>
public sealed record StrategySpec
{
    /// <summary>Strategy; default FedAvg.</summary>
    public StrategyKind Kind { get; init; } = StrategyKind.FedAvg;

    /// <summary>Server learning rate eta; default 1 (plain averaging; adaptive strategies need a smaller one).</summary>
    public float ServerLearningRate { get; init; } = 1f;

    /// <summary>FedProx mu; default 0.01.</summary>
    public float ProximalMu { get; init; } = 0.01f;

    /// <summary>Adaptive strategies' beta1; default 0.9.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>FedAdam and FedYogi beta2; default 0.99.</summary>
    public float Beta2 { get; init; } = 0.99f;

    /// <summary>Adaptive strategies' tau; default 1e-3.</summary>
    public float Tau { get; init; } = 1e-3f;

    /// <summary>Builds this strategy for a model of <paramref name="parameterCount"/> parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of its strategy's range.</exception>
    public ServerStrategy Create(int parameterCount) => Kind switch
    {
        StrategyKind.FedAvg => new FedAvg(parameterCount, ServerLearningRate),
        StrategyKind.FedProx => new FedProx(parameterCount, ProximalMu, ServerLearningRate),
        StrategyKind.FedAdam => new FedAdam(parameterCount, ServerLearningRate, Beta1, Beta2, Tau),
        StrategyKind.FedYogi => new FedYogi(parameterCount, ServerLearningRate, Beta1, Beta2, Tau),
        StrategyKind.FedAdagrad => new FedAdagrad(parameterCount, ServerLearningRate, Beta1, Tau),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown strategy kind."),
    };
}
