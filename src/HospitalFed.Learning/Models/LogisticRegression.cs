using System.Numerics;
using HospitalFed.Learning.Models.Internal;

namespace HospitalFed.Learning.Models;

/// <summary>
/// Binary logistic regression, p = sigmoid(w . x + b), trained on mean log loss with 0/1 targets.
/// Layout: <c>weights</c> (1 x inputs) then <c>bias</c> (1 x 1). Initialised to zeros.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class LogisticRegression<T> : IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseNetwork<T> _network;

    /// <summary>Creates the model for <paramref name="inputs"/> features.</summary>
    public LogisticRegression(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        _network = new DenseNetwork<T>([inputs, 1], _ => ("weights", "bias"));
    }

    /// <inheritdoc/>
    public ParameterLayout Layout => _network.Layout;

    /// <inheritdoc/>
    public int InputCount => _network.InputCount;

    /// <inheritdoc/>
    public int OutputCount => 1;

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
