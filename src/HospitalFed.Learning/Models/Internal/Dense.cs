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
        // Weight row outer, batch row inner: each weight row is read from memory once per batch
        // and reused from L1 for every sample, instead of streaming the whole matrix per sample.
        for (var j = 0; j < outputs; j++)
        {
            var w = weights.Slice(j * inputs, inputs);
            var b = bias[j];
            for (var r = 0; r < rows; r++)
            {
                output[(r * outputs) + j] = Dot(w, input.Slice(r * inputs, inputs)) + b;
            }
        }

        if (relu)
        {
            var all = output[..(rows * outputs)];
            TensorPrimitives.Max(all, T.Zero, all);
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
        if (propagate)
        {
            inputDelta[..(rows * inputs)].Clear();
        }

        // As in Forward, one weight row (and its gradient row) serves the whole batch while hot in cache.
        for (var j = 0; j < outputs; j++)
        {
            var w = weights.Slice(j * inputs, inputs);
            var gw = weightGradient.Slice(j * inputs, inputs);
            var gb = T.Zero;
            for (var r = 0; r < rows; r++)
            {
                var dj = delta[(r * outputs) + j];
                if (dj == T.Zero)
                {
                    // ReLU zeroes many deltas of a hidden layer; skipping them is exact.
                    continue;
                }

                MultiplyAdd(input.Slice(r * inputs, inputs), dj, gw);
                gb += dj;
                if (propagate)
                {
                    var dx = inputDelta.Slice(r * inputs, inputs);
                    MultiplyAdd(w, dj, dx);
                }
            }

            biasGradient[j] += gb;
        }

        if (propagate)
        {
            // ReLU derivative: 1 exactly where the activation that fed this layer is positive.
            for (var k = 0; k < rows * inputs; k++)
            {
                if (input[k] <= T.Zero)
                {
                    inputDelta[k] = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Below this width a plain loop beats the vectorised call, whose dispatch and tail handling
    /// dominate on short rows (13 features in Fed-Heart-Disease); see LogisticRegressionTrainingBenchmarks.
    /// </summary>
    private const int ShortRow = 32;

    private static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= ShortRow)
        {
            return TensorPrimitives.Dot(x, y);
        }

        var sum = T.Zero;
        y = y[..x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>destination += x * a.</summary>
    private static void MultiplyAdd<T>(ReadOnlySpan<T> x, T a, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= ShortRow)
        {
            TensorPrimitives.MultiplyAdd(x, a, destination, destination);
            return;
        }

        destination = destination[..x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] += x[i] * a;
        }
    }
}
