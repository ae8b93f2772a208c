using System.Numerics.Tensors;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Stochastic gradient descent with heavy-ball momentum: v = mu v + g; w -= lr v.
/// Momentum 0 is plain SGD.
/// </summary>
public sealed class SgdMomentum : IOptimizer
{
    private readonly float[] _velocity;
    private readonly float _learningRate;
    private readonly float _momentum;

    /// <summary>Creates the optimiser for a vector of <paramref name="parameterCount"/> elements.</summary>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <param name="learningRate">Step size, positive.</param>
    /// <param name="momentum">Momentum coefficient in [0, 1).</param>
    public SgdMomentum(int parameterCount, float learningRate, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (momentum is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        _velocity = new float[parameterCount];
        _learningRate = learningRate;
        _momentum = momentum;
    }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        OptimizerChecks.SameLength(_velocity.Length, parameters, gradient);
        if (_momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradient, -_learningRate, parameters, parameters);
            return;
        }

        TensorPrimitives.MultiplyAdd(_velocity, _momentum, gradient, _velocity);
        TensorPrimitives.MultiplyAdd(_velocity, -_learningRate, parameters, parameters);
    }

    /// <inheritdoc/>
    public void Reset() => Array.Clear(_velocity);
}
