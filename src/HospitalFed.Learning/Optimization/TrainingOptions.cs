namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Local training hyperparameters; part of a training plan. The defaults (SGD, learning rate
/// 0.05 with a cosine decay to a tenth, batch 64, one epoch, early stopping on a 10% site-local
/// validation split) are meant to converge without tuning on standardised features; docs/learning.md
/// section 4 gives the reasons and the measurements (Adam restarted every round averages badly
/// across heterogeneous sites, so it is not the default).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Fewest validation rows that make a split worth holding out (10): with fewer, early stopping would follow noise, so the trainer trains on every row instead.</summary>
    public const int MinValidationRows = 10;

    /// <summary>Optimiser; default <see cref="OptimizerKind.Sgd"/>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Initial step size; default 0.05.</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>
    /// How the step size decays over the run; default <see cref="LearningRateSchedule.Cosine"/>.
    /// In one <see cref="LocalTrainer.Train"/> call the run is that call's steps; in a federation
    /// it is the plan's rounds (<see cref="AtProgress"/> fixes each round's rate).
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Final step size as a fraction of <see cref="LearningRate"/>, in (0, 1]; default 0.1. Ignored by <see cref="LearningRateSchedule.Constant"/>.</summary>
    public float FinalLearningRateFraction { get; init; } = 0.1f;

    /// <summary>SGD momentum in [0, 1); default 0 (plain SGD). Ignored by Adam.</summary>
    public float Momentum { get; init; }

    /// <summary>Minibatch size; default 64 (a smaller dataset is one batch).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Most passes over the local training rows per call; default 1. Early stopping (see
    /// <see cref="ValidationFraction"/>) may stop sooner. Ignored when <see cref="LocalSteps"/> is set.
    /// </summary>
    public int Epochs { get; init; } = 1;

    /// <summary>When set, the exact number of minibatch steps per call (reshuffling at each pass); default null.</summary>
    public int? LocalSteps { get; init; }

    /// <summary>
    /// Fraction of the rows held out, seeded by <see cref="ValidationSeed"/>, as a validation split
    /// for early stopping, in [0, 0.5]; default 0.1; 0 trains on every row without early stopping.
    /// The validation loss is measured before training and after every pass (and after the last
    /// step); training stops after <see cref="Patience"/> passes without improvement and returns
    /// the parameters with the lowest validation loss, which may be the starting ones. When fewer
    /// than <see cref="MinValidationRows"/> rows would be held out, every row is trained on.
    /// </summary>
    public float ValidationFraction { get; init; } = 0.1f;

    /// <summary>Passes without a lower validation loss before training stops, at least 1; default 2.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>L2 penalty coefficient lambda, adding lambda/2 ||w||^2 to the loss; default 0.</summary>
    public float L2 { get; init; }

    /// <summary>
    /// FedProx proximal coefficient mu, adding mu/2 ||w - w_global||^2 to the local loss
    /// (Li et al., MLSys 2020, eq. 2); default 0 (FedAvg).
    /// </summary>
    public float ProximalMu { get; init; }

    /// <summary>Shuffling seed for simulations and tests; default null draws a seed from the OS CSPRNG.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Seed choosing the validation rows, kept fixed over a federation's rounds so the held-out
    /// rows are never trained on; default null uses <see cref="Seed"/> (or the CSPRNG when that is null too).
    /// </summary>
    public int? ValidationSeed { get; init; }

    /// <summary>
    /// The learning-rate factor of <see cref="Schedule"/> at <paramref name="progress"/> through the
    /// run (0 = start, 1 = end): 1 for constant, 0.1 + 0.9 (1 + cos(pi progress)) / 2 for cosine
    /// with the default final fraction.
    /// </summary>
    public double ScheduleFactor(double progress)
    {
        if (Schedule == LearningRateSchedule.Constant)
        {
            return 1;
        }

        var p = Math.Clamp(progress, 0, 1);
        return FinalLearningRateFraction + ((1 - FinalLearningRateFraction) * (1 + Math.Cos(Math.PI * p)) / 2);
    }

    /// <summary>
    /// These options for one stretch of a longer run at <paramref name="progress"/> (0 to 1), as a
    /// federation's round: the scheduled rate, held constant within the stretch.
    /// </summary>
    public TrainingOptions AtProgress(double progress) =>
        this with { LearningRate = (float)(LearningRate * ScheduleFactor(progress)), Schedule = LearningRateSchedule.Constant };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Patience);
        ArgumentOutOfRangeException.ThrowIfNegative(L2);
        ArgumentOutOfRangeException.ThrowIfNegative(ProximalMu);
        if (LocalSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(LocalSteps));
        }

        if (!float.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite.");
        }

        if (Momentum is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        }

        if (FinalLearningRateFraction is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "The final learning-rate fraction must be in (0, 1].");
        }

        if (ValidationFraction is not (>= 0 and <= 0.5f))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 0.5].");
        }

        if (!Enum.IsDefined(Optimizer) || !Enum.IsDefined(Schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(Optimizer), $"Unknown optimizer {Optimizer} or schedule {Schedule}.");
        }
    }
}
