namespace HospitalFed.Learning.Optimization;

/// <summary>Local training hyperparameters; part of a training plan.</summary>
public sealed record TrainingOptions
{
    /// <summary>Optimiser; default <see cref="OptimizerKind.Sgd"/>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Step size; default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>SGD momentum in [0, 1); default 0 (plain SGD). Ignored by Adam.</summary>
    public float Momentum { get; init; }

    /// <summary>Minibatch size; default 32 (a smaller dataset is one batch).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Passes over the local data per call; default 1. Ignored when <see cref="LocalSteps"/> is set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>When set, the exact number of minibatch steps per call (reshuffling at each pass); default null.</summary>
    public int? LocalSteps { get; init; }

    /// <summary>L2 penalty coefficient lambda, adding lambda/2 ||w||^2 to the loss; default 0.</summary>
    public float L2 { get; init; }

    /// <summary>
    /// FedProx proximal coefficient mu, adding mu/2 ||w - w_global||^2 to the local loss
    /// (Li et al., MLSys 2020, eq. 2); default 0 (FedAvg).
    /// </summary>
    public float ProximalMu { get; init; }

    /// <summary>Shuffling seed for simulations and tests; default null draws a seed from the OS CSPRNG.</summary>
    public int? Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(L2);
        ArgumentOutOfRangeException.ThrowIfNegative(ProximalMu);
        if (LocalSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(LocalSteps));
        }

        if (Momentum is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        }
    }
}
