namespace HospitalFed.Learning.Optimization;

/// <summary>A first-order optimiser updating a flat parameter vector in place; allocates nothing per step.</summary>
public interface IOptimizer
{
    /// <summary>Applies one update from <paramref name="gradient"/> to <paramref name="parameters"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradient);

    /// <summary>Forgets accumulated state (momentum, moment estimates, step count).</summary>
    void Reset();
}
