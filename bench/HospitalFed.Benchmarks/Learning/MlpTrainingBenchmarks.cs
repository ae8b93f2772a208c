using BenchmarkDotNet.Attributes;
using HospitalFed.Learning;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Benchmarks.Learning;

/// <summary>
/// One training epoch of a 1,050,625-parameter MLP (512 -> 1024 -> 512 -> 1, ReLU), batch 32,
/// reported per sample (samples/s = 1 / Mean). Baseline: the forward pass alone over the same
/// rows, so the ratio is the cost of training relative to inference (about 3 is the arithmetic
/// floor: forward, weight gradient, input gradient). Allocated / 8 batches = allocation per batch.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MlpTrainingBenchmarks
{
    private const int Rows = 256;
    private const int Inputs = 512;
    private const int Batch = 32;

    private readonly MultilayerPerceptron<float> _model = new(Inputs, [1024, 512], 1);
    private readonly float[] _output = new float[Rows];
    private float[] _parameters = null!;
    private Dataset _data = null!;
    private ModelWorkspace<float> _workspace = null!;
    private LocalTrainer _sgd = null!;
    private LocalTrainer _adam = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        var x = new float[Rows * Inputs];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var y = Enumerable.Range(0, Rows).Select(r => (float)(r % 2)).ToArray();
        _data = new Dataset([.. Enumerable.Range(0, Inputs).Select(i => $"x{i}")], x, y);
        _parameters = new float[_model.Layout.Count];
        _model.Initialize(_parameters, random);
        _workspace = _model.CreateWorkspace(Batch);
        _sgd = new LocalTrainer(_model, new TrainingOptions { BatchSize = Batch, LearningRate = 1e-4f, Momentum = 0.9f, Seed = 1 });
        _adam = new LocalTrainer(_model, new TrainingOptions { Optimizer = OptimizerKind.Adam, BatchSize = Batch, LearningRate = 1e-5f, Seed = 1 });
        _sgd.Train(_parameters, _data);
        _adam.Train(_parameters, _data);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public float ForwardOnly()
    {
        _model.Predict(_parameters, _data.Features, Rows, _output, _workspace);
        return _output[0];
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double TrainEpochSgdMomentum() => _sgd.Train(_parameters, _data);

    [Benchmark(OperationsPerInvoke = Rows)]
    public double TrainEpochAdam() => _adam.Train(_parameters, _data);
}
