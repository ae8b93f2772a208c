using System.Numerics;
using HospitalFed.Learning.Models.Internal;

namespace HospitalFed.Learning.Models;

/// <summary>
/// Multilayer perceptron with ReLU hidden layers. One output: binary classifier on log loss
/// (0/1 targets); several outputs: softmax classifier on cross-entropy (class-index targets).
/// Layout: <c>layer{i}.weight</c> (out x in) then <c>layer{i}.bias</c> (1 x out) for each layer.
/// Initialised He-uniform with zero biases.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class MultilayerPerceptron<T> : IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseNetwork<T> _network;

    /// <summary>Creates the network.</summary>
    /// <param name="inputs">Input features.</param>
    /// <param name="hiddenLayers">Width of each hidden layer, in order (may be empty).</param>
    /// <param name="outputs">1 for a binary classifier, the class count otherwise.</param>
    public MultilayerPerceptron(int inputs, IReadOnlyList<int> hiddenLayers, int outputs)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        foreach (var width in hiddenLayers)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, nameof(hiddenLayers));
        }

        int[] sizes = [inputs, .. hiddenLayers, outputs];
        _network = new DenseNetwork<T>(sizes, l => ($"layer{l}.weight", $"layer{l}.bias"));
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
    public void Initialize(Span<T> parameters, Random random) => _network.Initialize(parameters, random, zero: false);

    /// <inheritdoc/>
    public T LossAndGradient(ReadOnlySpan<T> parameters, in ModelBatch<T> batch, Span<T> gradient, ModelWorkspace<T> workspace) =>
        _network.LossAndGradient(this, parameters, batch, gradient, workspace);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, Span<T> output, ModelWorkspace<T> workspace) =>
        _network.Predict(this, parameters, features, rows, output, workspace);
}
