using System.Numerics;
using HospitalFed.Learning.Models.Internal;

namespace HospitalFed.Learning.Models;

/// <summary>
/// Multinomial (softmax) logistic regression trained on mean cross-entropy; targets are class
/// indices 0..classes-1. Layout: <c>weights</c> (classes x inputs) then <c>bias</c> (1 x classes).
/// Initialised to zeros.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class MultinomialLogisticRegression<T> : IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseNetwork<T> _network;

    /// <summary>Creates the model for <paramref name="inputs"/> features and <paramref name="classes"/> (at least 2) classes.</summary>
    public MultinomialLogisticRegression(int inputs, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        _network = new DenseNetwork<T>([inputs, classes], _ => ("weights", "bias"));
    }

    /// <inheritdoc/>
    public ParameterLayout Layout => _network.Layout;

    /// <inheritdoc/>
    public int InputCount => _network.InputCount;

    /// <inheritdoc/>
    public int OutputCount => _network.OutputCount;

    /// <inheritdoc/>
    public ModelWorkspace<T> CreateWorkspace(int maxRows) => _network.CreateWorkspace(this, maxRows);

    /// <inheritdoc/>
    public void Initialize(Span<T> parameters, Random random) => _network.Initialize(parameters, random, zero: true);

    /// <inheritdoc/>
    public T LossAndGradient(ReadOnlySpan<T> parameters, in ModelBatch<T> batch, Span<T> gradient, ModelWorkspace<T> workspace) =>
        _network.LossAndGradient(this, parameters, batch, gradient, workspace);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, Span<T> output, ModelWorkspace<T> workspace) =>
        _network.Predict(this, parameters, features, rows, output, workspace);
}
