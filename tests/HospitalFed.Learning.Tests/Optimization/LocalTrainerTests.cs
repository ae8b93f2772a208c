using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Tests.Optimization;

public sealed class LocalTrainerTests
{
    [TestCase(OptimizerKind.Sgd)]
    [TestCase(OptimizerKind.Adam)]
    public void Train_MillionParameterMlpEpoch_AllocatesNoManagedMemory(OptimizerKind optimizer)
    {
        // Arrange: 512 -> 1024 -> 512 -> 1 is 1,050,625 parameters.
        var model = new MultilayerPerceptron<float>(512, [1024, 512], 1);
        Assert.That(model.Layout.Count, Is.GreaterThan(1_000_000));
        var data = RandomDataset(new Random(5), rows: 64, features: 512);
        var parameters = new float[model.Layout.Count];
        model.Initialize(parameters, new Random(6));
        var trainer = new LocalTrainer(model, new TrainingOptions { Optimizer = optimizer, BatchSize = 16, Epochs = 1, LearningRate = 1e-3f, Momentum = 0.9f, L2 = 1e-4f, Seed = 7 });
        trainer.Train(parameters, data); // first call sizes the shuffle order for this dataset

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Train(parameters, data);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Train_SameSeed_IsDeterministic()
    {
        // Arrange
        var data = RandomDataset(new Random(8), rows: 50, features: 3);
        var model = new LogisticRegression<float>(3);
        var options = new TrainingOptions { BatchSize = 8, Epochs = 3, Seed = 11 };
        var first = new float[4];
        var second = new float[4];

        // Act
        new LocalTrainer(model, options).Train(first, data);
        new LocalTrainer(model, options).Train(second, data);

        // Assert
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Train_SeparableData_LearnsTheLabel()
    {
        // Arrange: label = x0 > 0.
        var random = new Random(9);
        var data = RandomDataset(random, rows: 200, features: 2);
        for (var r = 0; r < data.Rows; r++)
        {
            data.Targets[r] = data.Features[r * 2] > 0 ? 1 : 0;
        }

        var model = new LogisticRegression<float>(2);
        var parameters = new float[3];

        // Act
        var firstLoss = new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.05f, Epochs = 1, Seed = 1 }).Train((float[])parameters.Clone(), data);
        var loss = new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.05f, Epochs = 30, Seed = 1 }).Train(parameters, data);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(loss, Is.LessThan(firstLoss));
            Assert.That(parameters[0], Is.GreaterThan(2 * Math.Abs(parameters[1])));
        });
    }

    [Test]
    public void Train_ProximalTerm_StaysCloserToTheAnchor()
    {
        // Arrange
        var data = RandomDataset(new Random(10), rows: 100, features: 4);
        var model = new LogisticRegression<float>(4);
        var anchor = new float[5];
        var plain = new float[5];
        var proximal = new float[5];
        var options = new TrainingOptions { LearningRate = 0.1f, Epochs = 20, ValidationFraction = 0, Seed = 3 };

        // Act
        new LocalTrainer(model, options).Train(plain, data, anchor);
        new LocalTrainer(model, options with { ProximalMu = 1f }).Train(proximal, data, anchor);

        // Assert
        Assert.That(Norm(proximal), Is.LessThan(0.8 * Norm(plain)));
    }

    [Test]
    public void Train_LocalSteps_TakesExactlyThatManySteps()
    {
        // Arrange: with SGD at lr 1 on a zero-feature dataset only the bias moves, by -mean(p - y) per step.
        var data = new Dataset(["x"], new float[10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        var model = new LogisticRegression<float>(1);
        var parameters = new float[2];

        // Act
        new LocalTrainer(model, new TrainingOptions { LearningRate = 1f, BatchSize = 4, LocalSteps = 1, Seed = 1 }).Train(parameters, data);

        // Assert: one step from p = 0.5.
        Assert.That(parameters[1], Is.EqualTo(0.5f).Within(1e-6));
    }

    [Test]
    public void Train_ProximalWithoutAnchor_Throws()
    {
        // Arrange
        var trainer = new LocalTrainer(new LogisticRegression<float>(1), new TrainingOptions { ProximalMu = 0.1f });

        // Act / Assert
        Assert.That(() => trainer.Train(new float[2], new Dataset(["x"], [1], [1])), Throws.ArgumentException);
    }

    private static double Norm(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v));

    internal static Dataset RandomDataset(Random random, int rows, int features)
    {
        var x = new float[rows * features];
        var y = new float[rows];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var r = 0; r < rows; r++)
        {
            y[r] = random.Next(2);
        }

        return new Dataset([.. Enumerable.Range(0, features).Select(i => $"x{i}")], x, y);
    }
}
