using System.Numerics.Tensors;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Adam (Kingma and Ba, ICLR 2015, Algorithm 1) with bias-corrected moment estimates.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float[] _scratch;
    private readonly float _learningRate;
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "Adam decay rates must be in [0, 1).");
        }

        _m = new float[parameterCount];
        _v = new float[parameterCount];
        _scratch = new float[parameterCount];
        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        OptimizerChecks.SameLength(_m.Length, parameters, gradient);
        _step++;
        TensorPrimitives.Multiply(_m, _beta1, _m);
        TensorPrimitives.MultiplyAdd(gradient, 1 - _beta1, _m, _m);
        TensorPrimitives.Multiply(gradient, gradient, _scratch);
        TensorPrimitives.Multiply(_v, _beta2, _v);
        TensorPrimitives.MultiplyAdd(_scratch, 1 - _beta2, _v, _v);

        // Folding both bias corrections into the step size (Kingma and Ba, section 2, last paragraph).
        var correction1 = 1 - Math.Pow(_beta1, _step);
        var correction2 = 1 - Math.Pow(_beta2, _step);
        var stepSize = (float)(_learningRate * Math.Sqrt(correction2) / correction1);
        var epsilon = (float)(_epsilon * Math.Sqrt(correction2));
        TensorPrimitives.Sqrt(_v, _scratch);
        TensorPrimitives.Add(_scratch, epsilon, _scratch);
        TensorPrimitives.Divide(_m, _scratch, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, -stepSize, parameters, parameters);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        _step = 0;
    }
}
