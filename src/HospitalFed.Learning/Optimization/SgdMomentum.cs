using System.Numerics;
using System.Numerics.Tensors;
using HospitalFed.Learning.Optimization.Internal;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Stochastic gradient descent with heavy-ball momentum: v = mu v + g; w -= lr v.
/// Momentum 0 is plain SGD.
/// </summary>
public sealed class SgdMomentum : IOptimizer
{
    private readonly float[] _velocity;
    private readonly float _momentum;

    /// <summary>Creates the optimiser for a vector of <paramref name="parameterCount"/> elements.</summary>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <param name="learningRate">Step size, positive.</param>
    /// <param name="momentum">Momentum coefficient in [0, 1).</param>
    public SgdMomentum(int parameterCount, float learningRate, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        if (momentum is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        _velocity = new float[parameterCount];
        LearningRate = learningRate;
        _momentum = momentum;
    }

    /// <inheritdoc/>
    public float LearningRate
    {
        get;
        set => field = OptimizerChecks.PositiveRate(value);
    }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        OptimizerChecks.SameLength(_velocity.Length, parameters, gradient);
        if (_momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradient, -LearningRate, parameters, parameters);
            return;
        }

        // One fused pass (as in Adam): the velocity of a large model does not fit in cache.
        var width = Vector<float>.Count;
        var i = 0;
        for (; i <= parameters.Length - width; i += width)
        {
            var v = (new Vector<float>(_velocity.AsSpan(i)) * _momentum) + new Vector<float>(gradient[i..]);
            v.CopyTo(_velocity.AsSpan(i));
            (new Vector<float>(parameters[i..]) - (v * LearningRate)).CopyTo(parameters[i..]);
        }

        for (; i < parameters.Length; i++)
        {
            _velocity[i] = (_velocity[i] * _momentum) + gradient[i];
            parameters[i] -= LearningRate * _velocity[i];
        }
    }

    /// <inheritdoc/>
    public void Reset() => Array.Clear(_velocity);
}
