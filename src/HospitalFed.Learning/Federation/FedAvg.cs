using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// Federated averaging (McMahan et al., AISTATS 2017) generalised with a server learning rate:
/// w_{t+1} = w_t + eta * sum(n_k delta_k) / sum(n_k). With eta = 1 this is plain FedAvg.
/// </summary>
public class FedAvg : ServerStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="parameterCount">Model size P.</param>
    /// <param name="serverLearningRate">eta; default 1 (plain FedAvg).</param>
    public FedAvg(int parameterCount, float serverLearningRate = 1f)
        : base(parameterCount, serverLearningRate)
    {
    }

    /// <inheritdoc/>
    public override string Name => "FedAvg";

    /// <inheritdoc/>
    protected override void Update(Span<float> globalModel, ReadOnlySpan<float> averageDelta) =>
        TensorPrimitives.MultiplyAdd(averageDelta, ServerLearningRate, globalModel, globalModel);
}
