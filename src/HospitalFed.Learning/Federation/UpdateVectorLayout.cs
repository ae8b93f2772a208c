namespace HospitalFed.Learning.Federation;

/// <summary>
/// Layout of the vector a site uploads each round: <c>[n_k * delta_k (P values), n_k, metric sums (M values)]</c>.
/// Every field is a sum over sites, so the aggregator needs only the element-wise sum of the
/// uploads, which is exactly what secure aggregation (pairwise masks or CKKS) reveals.
/// </summary>
/// <param name="ParameterCount">P, the model's parameter count.</param>
/// <param name="MetricCount">M, the number of metric sums appended (0 allowed).</param>
public sealed record UpdateVectorLayout(int ParameterCount, int MetricCount)
{
    /// <summary>Total length P + 1 + M.</summary>
    public int Length => ParameterCount + 1 + MetricCount;

    /// <summary>Index of the sample-count element.</summary>
    public int SampleCountIndex => ParameterCount;

    /// <summary>Index of the first metric sum.</summary>
    public int MetricsOffset => ParameterCount + 1;

    /// <summary>Throws <see cref="ArgumentException"/> unless a vector of <paramref name="vectorLength"/> elements has this layout's length.</summary>
    public void Check(int vectorLength, string paramName)
    {
        if (ParameterCount <= 0 || MetricCount < 0)
        {
            throw new ArgumentException($"Invalid update layout P={ParameterCount}, M={MetricCount}.", paramName);
        }

        if (vectorLength != Length)
        {
            throw new ArgumentException($"Update vector has {vectorLength} elements; the layout needs {Length} (P={ParameterCount}, 1 count, M={MetricCount}).", paramName);
        }
    }
}
