using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>FedAdam (Reddi et al. 2021, Algorithm 2): v_t = beta2 v_{t-1} + (1 - beta2) delta_t^2.</summary>
public sealed class FedAdam : FedOpt
{
    /// <summary>Creates the strategy; defaults are the paper's.</summary>
    public FedAdam(int parameterCount, float serverLearningRate, float beta1 = 0.9f, float beta2 = 0.99f, float tau = 1e-3f)
        : base(parameterCount, serverLearningRate, beta1, beta2, tau)
    {
    }

    /// <inheritdoc/>
    public override string Name => "FedAdam";

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<float> secondMoment, ReadOnlySpan<float> squaredDelta)
    {
        TensorPrimitives.Multiply(secondMoment, Beta2, secondMoment);
        TensorPrimitives.MultiplyAdd(squaredDelta, 1 - Beta2, secondMoment, secondMoment);
    }
}
