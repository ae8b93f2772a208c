namespace HospitalFed.Learning.Federation;

/// <summary>
/// FedProx (Li et al., MLSys 2020): the server aggregates exactly as FedAvg; the difference is
/// the proximal term mu/2 ||w - w_t||^2 each site adds to its local objective, which
/// <see cref="ClientProximalMu"/> carries into the sites' <see cref="Optimization.TrainingOptions"/>.
/// </summary>
public sealed class FedProx : FedAvg
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="parameterCount">Model size P.</param>
    /// <param name="proximalMu">mu, positive.</param>
    /// <param name="serverLearningRate">eta; default 1.</param>
    public FedProx(int parameterCount, float proximalMu, float serverLearningRate = 1f)
        : base(parameterCount, serverLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(proximalMu);
        ClientProximalMu = proximalMu;
    }

    /// <inheritdoc/>
    public override string Name => "FedProx";

    /// <inheritdoc/>
    public override float ClientProximalMu { get; }
}
