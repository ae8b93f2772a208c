using System.Numerics;
using System.Numerics.Tensors;

namespace HospitalFed.Learning.Models;

/// <summary>
/// Linear Cox proportional hazards model, eta = w . x (no intercept: it cancels in the partial
/// likelihood), trained on the mean negative log partial likelihood with Breslow's handling of
/// tied event times (Breslow 1974): every event at time t shares the full risk set
/// {k : t_k &gt;= t}. Targets are survival times, events are 1 (event) or 0 (censored); with
/// minibatches the risk set is the batch's, as in stochastic Cox training.
/// Layout: <c>weights</c> (1 x inputs). Initialised to zeros.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class CoxProportionalHazards<T> : IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Eta = 0;
    private const int SortedTimes = 1;
    private const int RiskTerm = 2;

    /// <summary>Creates the model for <paramref name="inputs"/> features.</summary>
    public CoxProportionalHazards(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        InputCount = inputs;
        Layout = new ParameterLayout([("weights", 1, inputs)]);
    }

    /// <inheritdoc/>
    public ParameterLayout Layout { get; }

    /// <inheritdoc/>
    public int InputCount { get; }

    /// <inheritdoc/>
    public int OutputCount => 1;

    /// <inheritdoc/>
    public ModelWorkspace<T> CreateWorkspace(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        return new ModelWorkspace<T>(this, maxRows, [maxRows, maxRows, maxRows], maxRows);
    }

    /// <inheritdoc/>
    public void Initialize(Span<T> parameters, Random random)
    {
        CheckParameters(parameters);
        parameters.Clear();
    }

    /// <inheritdoc/>
    public T LossAndGradient(ReadOnlySpan<T> parameters, in ModelBatch<T> batch, Span<T> gradient, ModelWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var rows = batch.Rows;
        CheckParameters(parameters);
        CheckParameters(gradient);
        if (batch.Features.Length < rows * InputCount || batch.Targets.Length < rows || batch.Events.Length < rows)
        {
            throw new ArgumentException($"A Cox batch of {rows} rows needs {rows * InputCount} features, {rows} times and {rows} event flags.", nameof(batch));
        }

        workspace.Check(this, rows);
        var eta = workspace.Buffers[Eta].AsSpan(0, rows);
        var times = workspace.Buffers[SortedTimes].AsSpan(0, rows);
        var term = workspace.Buffers[RiskTerm].AsSpan(0, rows);
        var order = workspace.Indices.AsSpan(0, rows);
        for (var r = 0; r < rows; r++)
        {
            eta[r] = TensorPrimitives.Dot(parameters, batch.Features.Slice(r * InputCount, InputCount));
            order[r] = r;
        }

        batch.Targets[..rows].CopyTo(times);
        times.Sort(order);

        // Shift by the largest eta so exp never overflows; log S is corrected by the same shift.
        var shift = rows == 0 ? T.Zero : TensorPrimitives.Max<T>(eta);
        var events = 0;
        var loss = T.Zero;

        // Walk times from latest to earliest accumulating S(t) = sum over t_k >= t of exp(eta_k);
        // a group of tied times is added as a whole before any of its events is scored (Breslow).
        var risk = T.Zero;
        for (var end = rows; end > 0;)
        {
            var start = GroupStart(times, end);
            for (var i = start; i < end; i++)
            {
                risk += T.Exp(eta[order[i]] - shift);
            }

            for (var i = start; i < end; i++)
            {
                term[i] = risk;
                var k = order[i];
                if (batch.Events[k] != T.Zero)
                {
                    events++;
                    loss += T.Log(risk) + shift - eta[k];
                }
            }

            end = start;
        }

        gradient.Clear();
        if (events == 0)
        {
            return T.Zero;
        }

        // d/d eta_k = -event_k + exp(eta_k) * sum over events j with t_j <= t_k of 1 / S(t_j).
        var scale = T.One / T.CreateChecked(events);
        var hazard = T.Zero;
        for (var start = 0; start < rows;)
        {
            var end = GroupEnd(times, start);
            for (var i = start; i < end; i++)
            {
                if (batch.Events[order[i]] != T.Zero)
                {
                    hazard += T.One / term[i];
                }
            }

            for (var i = start; i < end; i++)
            {
                var k = order[i];
                var d = (T.Exp(eta[k] - shift) * hazard) - batch.Events[k];
                TensorPrimitives.MultiplyAdd(batch.Features.Slice(k * InputCount, InputCount), d * scale, gradient, gradient);
            }

            start = end;
        }

        return loss * scale;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<T> parameters, ReadOnlySpan<T> features, int rows, Span<T> output, ModelWorkspace<T> workspace)
    {
        CheckParameters(parameters);
        if (features.Length < rows * InputCount || output.Length < rows)
        {
            throw new ArgumentException($"Predicting {rows} rows needs {rows * InputCount} features and {rows} outputs.", nameof(features));
        }

        for (var r = 0; r < rows; r++)
        {
            output[r] = TensorPrimitives.Dot(parameters, features.Slice(r * InputCount, InputCount));
        }
    }

    private static int GroupStart(ReadOnlySpan<T> sortedTimes, int end)
    {
        var start = end - 1;
        while (start > 0 && sortedTimes[start - 1] == sortedTimes[end - 1])
        {
            start--;
        }

        return start;
    }

    private static int GroupEnd(ReadOnlySpan<T> sortedTimes, int start)
    {
        var end = start + 1;
        while (end < sortedTimes.Length && sortedTimes[end] == sortedTimes[start])
        {
            end++;
        }

        return end;
    }

    private void CheckParameters(ReadOnlySpan<T> parameters)
    {
        if (parameters.Length != Layout.Count)
        {
            throw new ArgumentException($"Expected {Layout.Count} parameters, got {parameters.Length}.", nameof(parameters));
        }
    }
}
