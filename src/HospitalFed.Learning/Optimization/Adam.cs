using System.Numerics;
using HospitalFed.Learning.Optimization.Internal;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Adam (Kingma and Ba, ICLR 2015, Algorithm 1) with bias-corrected moment estimates.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly float _epsilon;
    private int _step;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <param name="learningRate">Step size alpha, positive.</param>
    /// <param name="beta1">First-moment decay in [0, 1); default 0.9.</param>
    /// <param name="beta2">Second-moment decay in [0, 1); default 0.999.</param>
    /// <param name="epsilon">Denominator guard, positive; default 1e-8.</param>
    public Adam(int parameterCount, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "Adam decay rates must be in [0, 1).");
        }

        _m = new float[parameterCount];
        _v = new float[parameterCount];
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
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
        OptimizerChecks.SameLength(_m.Length, parameters, gradient);
        _step++;

        // Folding both bias corrections into the step size (Kingma and Ba, section 2, last paragraph).
        var correction1 = 1 - Math.Pow(_beta1, _step);
        var correction2 = 1 - Math.Pow(_beta2, _step);
        var stepSize = (float)(LearningRate * Math.Sqrt(correction2) / correction1);
        var epsilon = (float)(_epsilon * Math.Sqrt(correction2));

        // One fused pass: at a million parameters the moments do not fit in cache, so separate
        // TensorPrimitives passes would each stream every array from memory again.
        float b1 = _beta1, b2 = _beta2, c1 = 1 - _beta1, c2 = 1 - _beta2;
        var width = Vector<float>.Count;
        var i = 0;
        for (; i <= parameters.Length - width; i += width)
        {
            var g = new Vector<float>(gradient[i..]);
            var m = (new Vector<float>(_m.AsSpan(i)) * b1) + (g * c1);
            var v = (new Vector<float>(_v.AsSpan(i)) * b2) + (g * g * c2);
            var w = new Vector<float>(parameters[i..]) - (stepSize * m / (Vector.SquareRoot(v) + new Vector<float>(epsilon)));
            m.CopyTo(_m.AsSpan(i));
            v.CopyTo(_v.AsSpan(i));
            w.CopyTo(parameters[i..]);
        }

        for (; i < parameters.Length; i++)
        {
            var g = gradient[i];
            _m[i] = (_m[i] * b1) + (g * c1);
            _v[i] = (_v[i] * b2) + (g * g * c2);
            parameters[i] -= stepSize * _m[i] / (MathF.Sqrt(_v[i]) + epsilon);
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        _step = 0;
    }
}
