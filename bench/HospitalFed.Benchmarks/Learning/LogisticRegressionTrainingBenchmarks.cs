using BenchmarkDotNet.Attributes;
using HospitalFed.Learning;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Benchmarks.Learning;

/// <summary>
/// One epoch of minibatch SGD on logistic regression with 13 features (Fed-Heart-Disease's
/// width). Reported per sample (OperationsPerInvoke = rows), so samples/s = 1 / Mean; the
/// baseline is a plain scalar loop doing the gradient arithmetic without shuffling or SIMD; a
/// second scalar loop adds the shuffling and the loss the trainer also does.
/// Allocated / 512 batches = managed allocation per batch.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LogisticRegressionTrainingBenchmarks
{
    private const int Rows = 16_384;
    private const int Features = 13;
    private const int Batch = 32;
    private const float LearningRate = 0.01f;

    private readonly float[] _parameters = new float[Features + 1];
    private readonly float[] _gradient = new float[Features + 1];
    private readonly int[] _order = [.. Enumerable.Range(0, Rows)];
    private readonly Random _random = new(3);
    private Dataset _data = null!;
    private LocalTrainer _trainer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var x = new float[Rows * Features];
        var y = new float[Rows];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var r = 0; r < Rows; r++)
        {
            y[r] = x[r * Features] + (0.5f * x[(r * Features) + 1]) > 0 ? 1 : 0;
        }

        _data = new Dataset([.. Enumerable.Range(0, Features).Select(i => $"x{i}")], x, y);
        _trainer = new LocalTrainer(new LogisticRegression<float>(Features), new TrainingOptions { BatchSize = Batch, Epochs = 1, LearningRate = LearningRate, Seed = 1 });
        _trainer.Train(_parameters, _data);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public float ScalarReferenceEpoch()
    {
        var w = _parameters;
        var x = _data.Features;
        var y = _data.Targets;
        for (var start = 0; start < Rows; start += Batch)
        {
            Array.Clear(_gradient);
            for (var r = start; r < start + Batch; r++)
            {
                var z = w[Features];
                for (var j = 0; j < Features; j++)
                {
                    z += w[j] * x[(r * Features) + j];
                }

                var d = (1 / (1 + MathF.Exp(-z))) - y[r];
                for (var j = 0; j < Features; j++)
                {
                    _gradient[j] += d * x[(r * Features) + j];
                }

                _gradient[Features] += d;
            }

            for (var j = 0; j <= Features; j++)
            {
                w[j] -= LearningRate * _gradient[j] / Batch;
            }
        }

        return w[0];
    }

    /// <summary>
    /// The scalar loop doing everything the trainer does: reshuffle each epoch, visit rows in
    /// shuffled order and compute the log loss it reports.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public double ScalarShuffledWithLossEpoch()
    {
        var w = _parameters;
        var x = _data.Features;
        var y = _data.Targets;
        _random.Shuffle(_order);
        var loss = 0.0;
        for (var start = 0; start < Rows; start += Batch)
        {
            Array.Clear(_gradient);
            for (var i = start; i < start + Batch; i++)
            {
                var r = _order[i];
                var z = w[Features];
                for (var j = 0; j < Features; j++)
                {
                    z += w[j] * x[(r * Features) + j];
                }

                var e = MathF.Exp(-MathF.Abs(z));
                var p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                loss += MathF.Max(z, 0) + MathF.Log(1 + e) - (y[r] * z);
                var d = p - y[r];
                for (var j = 0; j < Features; j++)
                {
                    _gradient[j] += d * x[(r * Features) + j];
                }

                _gradient[Features] += d;
            }

            for (var j = 0; j <= Features; j++)
            {
                w[j] -= LearningRate * _gradient[j] / Batch;
            }
        }

        return loss / Rows;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double LocalTrainerEpoch() => _trainer.Train(_parameters, _data);
}
