using System.Numerics;

namespace HospitalFed.Learning.Models;

/// <summary>
/// A differentiable model over one flat parameter vector. Implementations are immutable
/// descriptions of an architecture; all mutable state lives in the caller's parameter vector and
/// a <see cref="ModelWorkspace{T}"/>, so one model serves many threads.
/// </summary>
/// <typeparam name="T">Element type: float in training, double in gradient checks.</typeparam>
public interface IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The named layout of the parameter vector.</summary>
    ParameterLayout Layout { get; }

    /// <summary>Number of input features per row.</summary>
    int InputCount { get; }

    /// <summary>Number of values <see cref="Predict"/> writes per row.</summary>
    int OutputCount { get; }

    /// <summary>Allocates scratch memory for batches of up to <paramref name="maxRows"/> rows.</summary>
    ModelWorkspace<T> CreateWorkspace(int maxRows);

    /// <summary>Writes initial parameters (zeros for linear models, He-uniform for the MLP).</summary>
    void Initialize(Span<T> parameters, Random random);

    /// <summary>
    /// Computes the mean loss over the batch and overwrites <paramref name="gradient"/> with its
    /// gradient with respect to <paramref name="parameters"/>. Allocates nothing.
    /// </summary>
    /// <returns>The mean loss over the batch's rows (over its events for the Cox model).</returns>
    T LossAndGradient(ReadOnlySpan<T> parameters, in ModelBatch<T> batch, Span<T> gradient, ModelWorkspace<T> workspace);

    /// <summary>
    /// Writes <see cref="OutputCount"/> values per row: the positive-class probability (binary),
    /// class probabilities (multiclass) or the linear predictor (Cox). Any number of rows.
    /// </summary>
    void Predict(ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, Span<T> output, ModelWorkspace<T> workspace);
}
