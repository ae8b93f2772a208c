using System.Numerics.Tensors;
using System.Security.Cryptography;
using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Runs minibatch training of one model on one site's data. Every buffer (workspace, gradient,
/// gathered batch, shuffle order, validation split, best parameters, optimiser state) is
/// allocated up front or on the first call with a new row count and reused, so a training call
/// allocates no managed memory per batch or per sample. Not thread-safe.
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
    private readonly int _validationSeed;
    private readonly float[] _best;
    private int[] _split = [];
    private int[] _order = [];
    private int _validationRows;

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
        _validationSeed = options.ValidationSeed ?? options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        _best = options.ValidationFraction > 0 ? new float[count] : [];
    }

    /// <summary>
    /// Trains <paramref name="parameters"/> in place for the configured epochs or local steps,
    /// starting from fresh optimiser state (one federated round). With a positive proximal mu,
    /// <paramref name="anchor"/> is the global model w_t the proximal term pulls towards. With a
    /// validation split (<see cref="TrainingOptions.ValidationFraction"/>) the held-out rows are
    /// never trained on, training stops early, and the parameters left are those with the lowest
    /// validation loss seen, possibly the starting ones.
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

        var validationRows = Split(data.Rows);
        var training = _split.AsSpan(validationRows);
        var validation = _split.AsSpan(0, validationRows);
        training.CopyTo(_order);
        var order = _order.AsSpan(0, training.Length);

        _optimizer.Reset();
        _optimizer.LearningRate = _options.LearningRate;
        var stepsPerEpoch = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        var totalSteps = _options.LocalSteps ?? (_options.Epochs * stepsPerEpoch);
        var bestLoss = validationRows > 0 ? Checkpoint(parameters, data, validation, double.PositiveInfinity) : 0;
        var stale = 0;
        var lossSum = 0.0;
        var taken = 0;
        while (taken < totalSteps)
        {
            var position = taken % stepsPerEpoch;
            if (position == 0)
            {
                _random.Shuffle(order);
            }

            if (_options.Schedule != LearningRateSchedule.Constant)
            {
                _optimizer.LearningRate = (float)(_options.LearningRate * _options.ScheduleFactor(totalSteps == 1 ? 0 : (double)taken / (totalSteps - 1)));
            }

            var start = position * _options.BatchSize;
            var rows = Math.Min(_options.BatchSize, order.Length - start);
            lossSum += Step(parameters, data, order.Slice(start, rows), anchor);
            taken++;
            if (validationRows > 0 && (taken % stepsPerEpoch == 0 || taken == totalSteps))
            {
                var loss = Checkpoint(parameters, data, validation, bestLoss);
                stale = loss < bestLoss ? 0 : stale + 1;
                bestLoss = Math.Min(loss, bestLoss);
                if (stale >= _options.Patience)
                {
                    break;
                }
            }
        }

        if (validationRows > 0)
        {
            _best.CopyTo(parameters);
        }

        return lossSum / taken;
    }

    /// <summary>Held-out rows for <paramref name="rows"/> rows (0 when too few); sizes the split and order buffers on a new row count.</summary>
    private int Split(int rows)
    {
        if (_split.Length != rows)
        {
            _split = new int[rows];
            _order = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                _split[i] = i;
            }

            // The split depends only on the validation seed and the row count, so it is the same in
            // every round of a federation and the held-out rows are never trained on.
            new Random(_validationSeed).Shuffle(_split);
            var held = (int)Math.Round(_options.ValidationFraction * rows, MidpointRounding.AwayFromZero);
            _validationRows = held >= TrainingOptions.MinValidationRows && held < rows ? held : 0;
        }

        return _validationRows;
    }

    /// <summary>Measures the validation loss; keeps the parameters when it beats <paramref name="best"/>.</summary>
    private double Checkpoint(ReadOnlySpan<float> parameters, Dataset data, ReadOnlySpan<int> validation, double best)
    {
        var sum = 0.0;
        for (var start = 0; start < validation.Length; start += _options.BatchSize)
        {
            var rows = validation.Slice(start, Math.Min(_options.BatchSize, validation.Length - start));
            var batch = Gather(data, rows);
            sum += (double)_model.LossAndGradient(parameters, batch, _gradient, _workspace) * rows.Length;
        }

        var loss = sum / validation.Length;
        if (loss < best)
        {
            parameters.CopyTo(_best);
        }

        return loss;
    }

    private ModelBatch<float> Gather(Dataset data, ReadOnlySpan<int> rows)
    {
        var width = data.FeatureCount;
        for (var i = 0; i < rows.Length; i++)
        {
            data.Features.AsSpan(rows[i] * width, width).CopyTo(_batchFeatures.AsSpan(i * width));
            _batchTargets[i] = data.Targets[rows[i]];
            _batchEvents[i] = data.Events is null ? 0 : data.Events[rows[i]];
        }

        return new ModelBatch<float>(_batchFeatures, _batchTargets, _batchEvents, rows.Length);
    }

    private float Step(Span<float> parameters, Dataset data, ReadOnlySpan<int> rows, ReadOnlySpan<float> anchor)
    {
        var batch = Gather(data, rows);
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
