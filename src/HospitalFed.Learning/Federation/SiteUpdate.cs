using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>Builds a site's round contribution in the sums-only layout of <see cref="UpdateVectorLayout"/>.</summary>
public static class SiteUpdate
{
    /// <summary>
    /// Writes <c>[n_k (w_local - w_global), n_k, metricSums]</c> into <paramref name="destination"/>.
    /// </summary>
    /// <param name="layout">The round's update layout.</param>
    /// <param name="globalModel">The model the round started from.</param>
    /// <param name="localModel">The model after local training.</param>
    /// <param name="sampleCount">n_k, the number of local training rows (weights the site's vote).</param>
    /// <param name="metricSums">Sums to be pooled (e.g. <see cref="Metrics.BinaryMetricSums"/>); length M.</param>
    /// <param name="destination">Receives the update vector.</param>
    public static void Write(
        UpdateVectorLayout layout,
        ReadOnlySpan<float> globalModel,
        ReadOnlySpan<float> localModel,
        int sampleCount,
        ReadOnlySpan<float> metricSums,
        Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        layout.Check(destination.Length, nameof(destination));
        if (globalModel.Length != layout.ParameterCount || localModel.Length != layout.ParameterCount || metricSums.Length != layout.MetricCount)
        {
            throw new ArgumentException($"Expected {layout.ParameterCount} parameters in each model and {layout.MetricCount} metric sums.", nameof(localModel));
        }

        var delta = destination[..layout.ParameterCount];
        TensorPrimitives.Subtract(localModel, globalModel, delta);
        TensorPrimitives.Multiply(delta, sampleCount, delta);
        destination[layout.SampleCountIndex] = sampleCount;
        metricSums.CopyTo(destination[layout.MetricsOffset..]);
    }

    /// <summary>
    /// Element-wise sum of plaintext update vectors: what secure aggregation computes, used by the
    /// in-process simulation and tests.
    /// </summary>
    public static void Sum(IEnumerable<float[]> updates, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(updates);
        destination.Clear();
        foreach (var update in updates)
        {
            if (update.Length != destination.Length)
            {
                throw new ArgumentException($"Update of {update.Length} elements summed into {destination.Length}.", nameof(updates));
            }

            TensorPrimitives.Add(destination, update, destination);
        }
    }
}
