using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>FedAdagrad (Reddi et al. 2021, Algorithm 2): v_t = v_{t-1} + delta_t^2.</summary>
public sealed class FedAdagrad : FedOpt
{
    /// <summary>Creates the strategy; beta1 and tau default to the paper's values (beta2 is unused).</summary>
    public FedAdagrad(int parameterCount, float serverLearningRate, float beta1 = 0.9f, float tau = 1e-3f)
        : base(parameterCount, serverLearningRate, beta1, 0f, tau)
    {
    }

    /// <inheritdoc/>
    public override string Name => "FedAdagrad";

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<float> secondMoment, ReadOnlySpan<float> squaredDelta) =>
        TensorPrimitives.Add(secondMoment, squaredDelta, secondMoment);
}
