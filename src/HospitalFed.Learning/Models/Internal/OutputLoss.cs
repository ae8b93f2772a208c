using System.Numerics;
using System.Numerics.Tensors;

namespace HospitalFed.Learning.Models.Internal;

/// <summary>
/// Losses on output logits. Each overwrites the logits with d(mean loss)/d(logit) and returns
/// the mean loss, computed in a numerically stable form.
/// </summary>
internal static class OutputLoss
{
    /// <summary>Binary cross-entropy on one logit per row: softplus(z) - y z.</summary>
    public static T Logistic<T>(Span<T> logits, ReadOnlySpan<T> targets, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.One / T.CreateChecked(rows);
        var loss = T.Zero;
        for (var r = 0; r < rows; r++)
        {
            var z = logits[r];
            var y = targets[r];
            // One exponential serves both: softplus(z) = max(z, 0) + log1p(e) and the sigmoid,
            // with e = exp(-|z|) <= 1 so neither overflows.
            var e = T.Exp(-T.Abs(z));
            var sigmoid = z >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
            loss += T.Max(z, T.Zero) + T.LogP1(e) - (y * z);
            logits[r] = (sigmoid - y) * scale;
        }

        return loss * scale;
    }

    /// <summary>Softmax cross-entropy on <paramref name="classes"/> logits per row; targets are class indices.</summary>
    public static T Softmax<T>(Span<T> logits, ReadOnlySpan<T> targets, int rows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.One / T.CreateChecked(rows);
        var loss = T.Zero;
        for (var r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            var label = ClassIndex(targets[r], classes);
            var max = TensorPrimitives.Max<T>(z);
            var zLabel = z[label];
            TensorPrimitives.Subtract(z, max, z);
            TensorPrimitives.Exp(z, z);
            var sum = TensorPrimitives.Sum<T>(z);
            loss += T.Log(sum) - (zLabel - max);
            TensorPrimitives.Multiply(z, scale / sum, z);
            z[label] -= scale;
        }

        return loss * scale;
    }

    /// <summary>Writes softmax probabilities in place, row by row.</summary>
    public static void SoftmaxRows<T>(Span<T> logits, int rows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            TensorPrimitives.SoftMax(z, z);
        }
    }

    /// <summary>1 / (1 + e^-z) without overflow.</summary>
    public static T Sigmoid<T>(T z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }

        var e = T.Exp(z);
        return e / (T.One + e);
    }

    private static int ClassIndex<T>(T target, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var label = int.CreateSaturating(target);
        if (label < 0 || label >= classes || T.CreateChecked(label) != target)
        {
            throw new ArgumentException($"Target {target} is not a class index in [0, {classes}).", "batch");
        }

        return label;
    }
}
