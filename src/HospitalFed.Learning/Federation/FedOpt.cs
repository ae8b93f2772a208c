using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// Adaptive server optimisers of Reddi et al., "Adaptive Federated Optimization", ICLR 2021,
/// Algorithm 2: treat the mean update delta_t as a pseudo-gradient,
/// m_t = beta1 m_{t-1} + (1 - beta1) delta_t, update v_t per variant, and step
/// w_{t+1} = w_t + eta m_t / (sqrt(v_t) + tau). No bias correction, as in the paper.
/// </summary>
public abstract class FedOpt : ServerStrategy
{
    private readonly float[] _scratch;

    /// <summary>Initialises the shared state.</summary>
    /// <param name="parameterCount">Model size P.</param>
    /// <param name="serverLearningRate">eta, positive.</param>
    /// <param name="beta1">Momentum in [0, 1); the paper's default 0.9.</param>
    /// <param name="beta2">Second-moment decay in [0, 1); the paper's default 0.99.</param>
    /// <param name="tau">Adaptivity tau, positive; the paper's default 1e-3. v starts at tau^2.</param>
    protected FedOpt(int parameterCount, float serverLearningRate, float beta1, float beta2, float tau)
        : base(parameterCount, serverLearningRate)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "beta1 and beta2 must be in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tau);
        Beta1 = beta1;
        Beta2 = beta2;
        Tau = tau;
        FirstMoment = new float[parameterCount];
        SecondMoment = new float[parameterCount];
        _scratch = new float[parameterCount];
        Array.Fill(SecondMoment, tau * tau);
    }

    /// <summary>beta1.</summary>
    public float Beta1 { get; }

    /// <summary>beta2.</summary>
    public float Beta2 { get; }

    /// <summary>tau.</summary>
    public float Tau { get; }

    /// <summary>m_t.</summary>
    protected float[] FirstMoment { get; }

    /// <summary>v_t.</summary>
    protected float[] SecondMoment { get; }

    /// <inheritdoc/>
    protected sealed override void Update(Span<float> globalModel, ReadOnlySpan<float> averageDelta)
    {
        TensorPrimitives.Multiply(FirstMoment, Beta1, FirstMoment);
        TensorPrimitives.MultiplyAdd(averageDelta, 1 - Beta1, FirstMoment, FirstMoment);
        TensorPrimitives.Multiply(averageDelta, averageDelta, _scratch);
        UpdateSecondMoment(SecondMoment, _scratch);
        TensorPrimitives.Sqrt(SecondMoment, _scratch);
        TensorPrimitives.Add(_scratch, Tau, _scratch);
        TensorPrimitives.Divide(FirstMoment, _scratch, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, ServerLearningRate, globalModel, globalModel);
    }

    /// <summary>Updates v in place from the squared mean update delta_t^2.</summary>
    protected abstract void UpdateSecondMoment(Span<float> secondMoment, ReadOnlySpan<float> squaredDelta);
}
