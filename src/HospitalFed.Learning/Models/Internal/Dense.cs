using System.Numerics;
using System.Numerics.Tensors;

namespace HospitalFed.Learning.Models.Internal;

/// <summary>Fully connected layer kernels on row-major spans; no allocation.</summary>
internal static class Dense
{
    /// <summary>output[r, j] = W[j, :] . input[r, :] + b[j], optionally followed by ReLU.</summary>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, int rows, int inputs, int outputs, Span<T> output, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var x = input.Slice(r * inputs, inputs);
            var y = output.Slice(r * outputs, outputs);
            for (var j = 0; j < outputs; j++)
            {
                y[j] = TensorPrimitives.Dot(weights.Slice(j * inputs, inputs), x) + bias[j];
            }

            if (relu)
            {
                TensorPrimitives.Max(y, T.Zero, y);
            }
        }
    }

    /// <summary>
    /// Accumulates dW += delta^T input and db += sum of delta; when <paramref name="inputDelta"/>
    /// is not empty, writes inputDelta = delta W, masked by the ReLU that produced
    /// <paramref name="input"/> (its derivative is 1 exactly where the activation is positive).
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> weights,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> delta,
        int rows,
        int inputs,
        int outputs,
        Span<T> weightGradient,
        Span<T> biasGradient,
        Span<T> inputDelta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var propagate = !inputDelta.IsEmpty;
        for (var r = 0; r < rows; r++)
        {
            var x = input.Slice(r * inputs, inputs);
            var d = delta.Slice(r * outputs, outputs);
            var dx = propagate ? inputDelta.Slice(r * inputs, inputs) : default;
            if (propagate)
            {
                dx.Clear();
            }

            for (var j = 0; j < outputs; j++)
            {
                var dj = d[j];
                if (dj == T.Zero)
                {
                    // ReLU zeroes most deltas of a hidden layer; skipping them is exact.
                    continue;
                }

                var gw = weightGradient.Slice(j * inputs, inputs);
                TensorPrimitives.MultiplyAdd(x, dj, gw, gw);
                biasGradient[j] += dj;
                if (propagate)
                {
                    TensorPrimitives.MultiplyAdd(weights.Slice(j * inputs, inputs), dj, dx, dx);
                }
            }

            if (propagate)
            {
                for (var k = 0; k < inputs; k++)
                {
                    if (x[k] <= T.Zero)
                    {
                        dx[k] = T.Zero;
                    }
                }
            }
        }
    }
}
