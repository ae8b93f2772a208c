using System.Numerics;

namespace HospitalFed.Learning.Models.Internal;

/// <summary>
/// Shared engine of the logistic, multinomial and MLP models: a stack of dense layers with ReLU
/// between them and a logistic (one output) or softmax (several outputs) loss on top.
/// </summary>
internal sealed class DenseNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _sizes;
    private readonly ParameterSegment[] _weights;
    private readonly ParameterSegment[] _biases;
    private readonly int _maxWidth;

    public DenseNetwork(int[] sizes, Func<int, (string Weight, string Bias)> names)
    {
        _sizes = sizes;
        var blocks = new List<(string, int, int)>();
        for (var l = 0; l + 1 < sizes.Length; l++)
        {
            var (weight, bias) = names(l);
            blocks.Add((weight, sizes[l + 1], sizes[l]));
            blocks.Add((bias, 1, sizes[l + 1]));
        }

        Layout = new ParameterLayout(blocks);
        _weights = [.. Layout.Segments.Where((_, i) => i % 2 == 0)];
        _biases = [.. Layout.Segments.Where((_, i) => i % 2 == 1)];
        _maxWidth = sizes.Max();
    }

    public ParameterLayout Layout { get; }

    public int InputCount => _sizes[0];

    public int OutputCount => _sizes[^1];

    private int Layers => _sizes.Length - 1;

    public ModelWorkspace<T> CreateWorkspace(object owner, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var lengths = new int[Layers + 2];
        for (var l = 1; l <= Layers; l++)
        {
            lengths[l - 1] = checked(maxRows * _sizes[l]);
        }

        lengths[Layers] = checked(maxRows * _maxWidth);
        lengths[Layers + 1] = checked(maxRows * _maxWidth);
        return new ModelWorkspace<T>(owner, maxRows, lengths, 0);
    }

    public void Initialize(Span<T> parameters, Random random, bool zero)
    {
        CheckParameters(parameters);
        parameters.Clear();
        if (zero)
        {
            return;
        }

        for (var l = 0; l < Layers; l++)
        {
            // He et al. 2015, uniform variant: Var(w) = 2 / fan_in keeps ReLU activations stable.
            var limit = Math.Sqrt(6.0 / _sizes[l]);
            var w = parameters.Slice(_weights[l].Offset, _weights[l].Length);
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = T.CreateChecked(((random.NextDouble() * 2) - 1) * limit);
            }
        }
    }

    public T LossAndGradient(object owner, ReadOnlySpan<T> parameters, in ModelBatch<T> batch, Span<T> gradient, ModelWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var rows = batch.Rows;
        CheckParameters(parameters);
        CheckParameters(gradient);
        CheckBatch(batch.Features, rows);
        if (batch.Targets.Length < rows)
        {
            throw new ArgumentException($"Batch has {batch.Targets.Length} targets for {rows} rows.", nameof(batch));
        }

        workspace.Check(owner, rows);
        Forward(parameters, batch.Features, rows, workspace);
        var logits = workspace.Buffers[Layers - 1].AsSpan(0, rows * OutputCount);
        var loss = OutputCount == 1
            ? OutputLoss.Logistic(logits, batch.Targets, rows)
            : OutputLoss.Softmax(logits, batch.Targets, rows, OutputCount);

        gradient.Clear();
        ReadOnlySpan<T> delta = logits;
        for (var l = Layers - 1; l >= 0; l--)
        {
            var input = l == 0 ? batch.Features : workspace.Buffers[l - 1].AsSpan(0, rows * _sizes[l]);
            var inputDelta = l == 0 ? default : workspace.Buffers[Layers + (l % 2)].AsSpan(0, rows * _sizes[l]);
            Dense.Backward(
                parameters.Slice(_weights[l].Offset, _weights[l].Length),
                input,
                delta,
                rows,
                _sizes[l],
                _sizes[l + 1],
                gradient.Slice(_weights[l].Offset, _weights[l].Length),
                gradient.Slice(_biases[l].Offset, _biases[l].Length),
                inputDelta);
            delta = inputDelta;
        }

        return loss;
    }

    public void Predict(object owner, ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, Span<T> output, ModelWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        CheckParameters(parameters);
        CheckBatch(features, rows);
        if (output.Length < rows * OutputCount)
        {
            throw new ArgumentException($"Output holds {output.Length} values; {rows * OutputCount} needed.", nameof(output));
        }

        workspace.Check(owner, 0);
        for (var start = 0; start < rows; start += workspace.MaxRows)
        {
            var count = Math.Min(workspace.MaxRows, rows - start);
            Forward(parameters, features.Slice(start * InputCount, count * InputCount), count, workspace);
            var logits = workspace.Buffers[Layers - 1].AsSpan(0, count * OutputCount);
            if (OutputCount == 1)
            {
                for (var r = 0; r < count; r++)
                {
                    logits[r] = OutputLoss.Sigmoid(logits[r]);
                }
            }
            else
            {
                OutputLoss.SoftmaxRows(logits, count, OutputCount);
            }

            logits.CopyTo(output.Slice(start * OutputCount));
        }
    }

    private void Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, ModelWorkspace<T> workspace)
    {
        var input = features;
        for (var l = 0; l < Layers; l++)
        {
            var output = workspace.Buffers[l].AsSpan(0, rows * _sizes[l + 1]);
            Dense.Forward(
                parameters.Slice(_weights[l].Offset, _weights[l].Length),
                parameters.Slice(_biases[l].Offset, _biases[l].Length),
                input,
                rows,
                _sizes[l],
                _sizes[l + 1],
                output,
                relu: l < Layers - 1);
            input = output;
        }
    }

    private void CheckParameters(ReadOnlySpan<T> parameters)
    {
        if (parameters.Length != Layout.Count)
        {
            throw new ArgumentException($"Expected {Layout.Count} parameters, got {parameters.Length}.", nameof(parameters));
        }
    }

    private void CheckBatch(ReadOnlySpan<T> features, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (features.Length < rows * InputCount)
        {
            throw new ArgumentException($"Batch has {features.Length} feature values for {rows} rows of {InputCount}.", nameof(features));
        }
    }
}
