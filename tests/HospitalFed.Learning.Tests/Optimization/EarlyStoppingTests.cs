using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Tests.Optimization;

public sealed class EarlyStoppingTests
{
    [Test]
    public void Train_EveryPassWorsensValidation_ReturnsTheStartingParameters()
    {
        // Arrange: random labels, so the zero model's loss ln 2 is the best a validation split can see,
        // and a huge rate overfits noise at the first pass.
        var data = LocalTrainerTests.RandomDataset(new Random(4), rows: 300, features: 6);
        var model = new LogisticRegression<float>(6);
        var options = new TrainingOptions { LearningRate = 50, Schedule = LearningRateSchedule.Constant, Epochs = 5, ValidationFraction = 0.3f, Seed = 2 };
        var stopped = new float[7];
        var unstopped = new float[7];

        // Act
        new LocalTrainer(model, options).Train(stopped, data);
        new LocalTrainer(model, options with { ValidationFraction = 0 }).Train(unstopped, data);

        // Assert
        Assert.That(stopped, Is.All.Zero);
        Assert.That(unstopped, Is.Not.All.Zero);
    }

    [Test]
    public void Train_TooFewRowsToHoldOut_TrainsOnEveryRow()
    {
        // Arrange: 10% of 50 rows is 5 < MinValidationRows, so no split, same as fraction 0.
        var data = LocalTrainerTests.RandomDataset(new Random(6), rows: 50, features: 3);
        var model = new LogisticRegression<float>(3);
        var split = new float[4];
        var none = new float[4];

        // Act
        new LocalTrainer(model, new TrainingOptions { ValidationFraction = 0.1f, Seed = 3 }).Train(split, data);
        new LocalTrainer(model, new TrainingOptions { ValidationFraction = 0, Seed = 3 }).Train(none, data);

        // Assert
        Assert.That(split, Is.EqualTo(none));
    }

    [Test]
    public void Train_CosineSchedule_DecaysTheRateOverTheSteps()
    {
        // Arrange: a zero-feature dataset moves only the bias, by -lr (sigmoid(b) - 1) per step.
        var data = new Dataset(["x"], new float[10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        var model = new LogisticRegression<float>(1);
        var parameters = new float[2];
        var options = new TrainingOptions { LearningRate = 1, FinalLearningRateFraction = 0.5f, BatchSize = 10, LocalSteps = 2, ValidationFraction = 0 };

        // Act
        new LocalTrainer(model, options).Train(parameters, data);

        // Assert: step 1 at rate 1 from b = 0, step 2 at the final rate 0.5.
        var b1 = 1 * (1 - 0.5);
        var b2 = b1 + (0.5 * (1 - (1 / (1 + Math.Exp(-b1)))));
        Assert.That(parameters[1], Is.EqualTo(b2).Within(1e-6));
    }

    [TestCase(0.0, 1.0)]
    [TestCase(0.5, 0.55)]
    [TestCase(1.0, 0.1)]
    public void ScheduleFactor_DefaultCosine_FollowsHalfACosineToTheFinalFraction(double progress, double expected)
    {
        Assert.That(new TrainingOptions().ScheduleFactor(progress), Is.EqualTo(expected).Within(1e-6));
    }

    [TestCase(-0.1f)]
    [TestCase(0.6f)]
    public void Validate_ValidationFractionOutOfRange_NamesIt(float fraction)
    {
        Assert.That(() => new TrainingOptions { ValidationFraction = fraction }.Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ValidationFraction"));
    }
}
