using System.Numerics.Tensors;
using System.Security.Cryptography;
using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Runs minibatch training of one model on one site's data. Every buffer (workspace, gradient,
/// gathered batch, shuffle order, optimiser state) is allocated up front and reused, so a
/// training call allocates no managed memory per batch or per sample. Not thread-safe.
/// </summary>
public sealed class LocalTrainer
{
    private readonly IModel<float> _model;
    private readonly TrainingOptions _options;
    private readonly IOptimizer _optimizer;
    private readonly ModelWorkspace<float> _workspace;
    private readonly float[] _gradient;
    private readonly float[] _batchFeatures;
    private readonly float[] _batchTargets;
    private readonly float[] _batchEvents;
    private readonly Random _random;
    private int[] _order = [];

    /// <summary>Creates a trainer; validates <paramref name="options"/>.</summary>
    public LocalTrainer(IModel<float> model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        var count = model.Layout.Count;
        _optimizer = options.Optimizer == OptimizerKind.Adam
            ? new Adam(count, options.LearningRate)
            : new SgdMomentum(count, options.LearningRate, options.Momentum);
        _workspace = model.CreateWorkspace(options.BatchSize);
        _gradient = new float[count];
        _batchFeatures = new float[options.BatchSize * model.InputCount];
        _batchTargets = new float[options.BatchSize];
        _batchEvents = new float[options.BatchSize];
        _random = new Random(options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
    }

    /// <summary>
    /// Trains <paramref name="parameters"/> in place for the configured epochs or local steps,
    /// starting from fresh optimiser state (one federated round). With a positive proximal mu,
    /// <paramref name="anchor"/> is the global model w_t the proximal term pulls towards.
    /// </summary>
    /// <returns>Mean training loss over the steps taken (without the penalty terms).</returns>
    public double Train(Span<float> parameters, Dataset data, ReadOnlySpan<float> anchor = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _model.InputCount)
        {
            throw new ArgumentException($"Data has {data.FeatureCount} features; the model expects {_model.InputCount}.", nameof(data));
        }

        if (_options.ProximalMu > 0 && anchor.Length != parameters.Length)
        {
            throw new ArgumentException("FedProx training needs the global model as its anchor.", nameof(anchor));
        }

        if (data.Rows == 0)
        {
            return 0;
        }

        if (_order.Length != data.Rows)
        {
            _order = new int[data.Rows];
        }

        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _optimizer.Reset();
        var stepsPerEpoch = (data.Rows + _options.BatchSize - 1) / _options.BatchSize;
        var totalSteps = _options.LocalSteps ?? (_options.Epochs * stepsPerEpoch);
        var lossSum = 0.0;
        for (var step = 0; step < totalSteps; step++)
        {
            var position = step % stepsPerEpoch;
            if (position == 0)
            {
                _random.Shuffle(_order);
            }

            var start = position * _options.BatchSize;
            var rows = Math.Min(_options.BatchSize, data.Rows - start);
            lossSum += Step(parameters, data, _order.AsSpan(start, rows), anchor);
        }

        return lossSum / totalSteps;
    }

    private float Step(Span<float> parameters, Dataset data, ReadOnlySpan<int> rows, ReadOnlySpan<float> anchor)
    {
        var width = data.FeatureCount;
        for (var i = 0; i < rows.Length; i++)
        {
            data.Features.AsSpan(rows[i] * width, width).CopyTo(_batchFeatures.AsSpan(i * width));
            _batchTargets[i] = data.Targets[rows[i]];
            _batchEvents[i] = data.Events is null ? 0 : data.Events[rows[i]];
        }

        var batch = new ModelBatch<float>(_batchFeatures, _batchTargets, _batchEvents, rows.Length);
        var loss = _model.LossAndGradient(parameters, batch, _gradient, _workspace);
        if (_options.L2 > 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, _options.L2, _gradient, _gradient);
        }

        if (_options.ProximalMu > 0)
        {
            // Gradient of mu/2 ||w - w_t||^2 is mu (w - w_t) (FedProx, Li et al. 2020, eq. 2).
            TensorPrimitives.MultiplyAdd(parameters, _options.ProximalMu, _gradient, _gradient);
            TensorPrimitives.MultiplyAdd(anchor, -_options.ProximalMu, _gradient, _gradient);
        }

        _optimizer.Step(parameters, _gradient);
        return loss;
    }
}
