using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Tests.Models;

/// <summary>End-to-end: each model, trained by the local trainer, learns a task it is built for.</summary>
public sealed class ModelTrainingTests
{
    [Test]
    public void MultilayerPerceptron_Xor_LearnsWhatNoLinearModelCan()
    {
        // Arrange: label = sign(x0) != sign(x1), not linearly separable.
        var data = Synthetic(400, 2, x => (x[0] > 0) != (x[1] > 0) ? 1 : 0, seed: 1);
        var model = new MultilayerPerceptron<float>(2, [16], 1);
        var parameters = new float[model.Layout.Count];
        model.Initialize(parameters, new Random(2));

        // Act
        new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.02f, Epochs = 200, Seed = 3 }).Train(parameters, data);

        // Assert
        Assert.That(Accuracy(model, parameters, data), Is.GreaterThan(0.95));
    }

    [Test]
    public void MultinomialLogisticRegression_ThreeSectors_LearnsTheClasses()
    {
        // Arrange: class = which third of the plane the angle of (x0, x1) falls in.
        var data = Synthetic(600, 2, x => (int)((Math.Atan2(x[1], x[0]) + Math.PI) / (2 * Math.PI / 3)) % 3, seed: 4);
        var model = new MultinomialLogisticRegression<float>(2, 3);
        var parameters = new float[model.Layout.Count];

        // Act
        new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.05f, Epochs = 100, Seed = 5 }).Train(parameters, data);

        // Assert
        var probabilities = new float[data.Rows * 3];
        model.Predict(parameters, data.Features, data.Rows, probabilities, model.CreateWorkspace(64));
        var correct = Enumerable.Range(0, data.Rows).Count(r => ArgMax(probabilities.AsSpan(r * 3, 3)) == (int)data.Targets[r]);
        Assert.That(correct / (double)data.Rows, Is.GreaterThan(0.9));
    }

    [Test]
    public void CoxProportionalHazards_ExponentialSurvival_RecoversTheRiskOrdering()
    {
        // Arrange: hazard exp(1.0 x0 - 0.5 x1); 30% censored at random.
        var random = new Random(6);
        const int rows = 500;
        var x = new float[rows * 2];
        var times = new float[rows];
        var events = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            x[r * 2] = (float)((random.NextDouble() * 2) - 1);
            x[(r * 2) + 1] = (float)((random.NextDouble() * 2) - 1);
            var hazard = Math.Exp(x[r * 2] - (0.5 * x[(r * 2) + 1]));
            times[r] = (float)Math.Round(-Math.Log(1 - random.NextDouble()) / hazard, 1); // rounding creates ties
            events[r] = random.NextDouble() < 0.7 ? 1 : 0;
        }

        var data = new Dataset(["x0", "x1"], x, times, events);
        var model = new CoxProportionalHazards<float>(2);
        var parameters = new float[2];

        // Act
        new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.05f, BatchSize = 100, Epochs = 100, Seed = 7 }).Train(parameters, data);
        var risk = new float[rows];
        model.Predict(parameters, x, rows, risk, model.CreateWorkspace(1));

        // Assert: coefficients near (1, -0.5) and a concordance well above chance.
        Assert.Multiple(() =>
        {
            Assert.That(parameters[0], Is.EqualTo(1.0).Within(0.3));
            Assert.That(parameters[1], Is.EqualTo(-0.5).Within(0.3));
            Assert.That(ConcordanceIndex.Compute(risk, times, events), Is.GreaterThan(0.6));
        });
    }

    private static Dataset Synthetic(int rows, int features, Func<float[], int> label, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        var y = new float[rows];
        var row = new float[features];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < features; j++)
            {
                row[j] = (float)((random.NextDouble() * 2) - 1);
            }

            row.CopyTo(x, r * features);
            y[r] = label(row);
        }

        return new Dataset([.. Enumerable.Range(0, features).Select(j => $"x{j}")], x, y);
    }

    private static double Accuracy(IModel<float> model, float[] parameters, Dataset data)
    {
        var p = new float[data.Rows];
        model.Predict(parameters, data.Features, data.Rows, p, model.CreateWorkspace(64));
        return BinaryMetrics.Accuracy(p, data.Targets);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
