namespace HospitalFed.Learning.Optimization;

/// <summary>A first-order optimiser updating a flat parameter vector in place; allocates nothing per step.</summary>
public interface IOptimizer
{
    /// <summary>The step size of the next <see cref="Step"/>; positive and finite. Setting it keeps the accumulated state (a schedule changes it between steps).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive and finite.</exception>
    float LearningRate { get; set; }

    /// <summary>Applies one update from <paramref name="gradient"/> to <paramref name="parameters"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradient);

    /// <summary>Forgets accumulated state (momentum, moment estimates, step count).</summary>
    void Reset();
}
