using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Tests.Optimization;

public sealed class OptimizerTests
{
    [Test]
    public void SgdMomentum_TwoSteps_MatchesHeavyBallRecurrence()
    {
        // Arrange: v1 = g = 1, w1 = -0.1; v2 = 0.9 + 1 = 1.9, w2 = -0.1 - 0.19 = -0.29.
        var optimizer = new SgdMomentum(1, 0.1f, 0.9f);
        float[] w = [0];

        // Act
        optimizer.Step(w, [1]);
        optimizer.Step(w, [1]);

        // Assert
        Assert.That(w[0], Is.EqualTo(-0.29f).Within(1e-6));
    }

    [Test]
    public void Adam_FirstStep_MovesByLearningRateAgainstTheGradientSign()
    {
        // Arrange: with bias correction the first step is lr * g / |g| (Kingma and Ba, section 2).
        var optimizer = new Adam(2, 0.01f);
        float[] w = [1, 1];

        // Act
        optimizer.Step(w, [3, -0.5f]);

        // Assert
        Assert.That(w, Is.EqualTo(new[] { 0.99f, 1.01f }).Within(1e-6));
    }

    [Test]
    public void Adam_Reset_RestartsBiasCorrection()
    {
        // Arrange
        var optimizer = new Adam(1, 0.01f);
        float[] w = [0];
        optimizer.Step(w, [1]);
        optimizer.Step(w, [1]);
        optimizer.Reset();
        w[0] = 0;

        // Act
        optimizer.Step(w, [5]);

        // Assert
        Assert.That(w[0], Is.EqualTo(-0.01f).Within(1e-6));
    }

    [Test]
    public void Step_WrongLength_Throws()
    {
        // Arrange
        var optimizer = new SgdMomentum(2, 0.1f, 0f);

        // Act / Assert
        Assert.That(() => optimizer.Step(new float[3], new float[3]), Throws.ArgumentException);
    }

    [Test]
    public void TrainingOptions_NegativeL2_FailsValidation()
    {
        // Arrange
        var options = new TrainingOptions { L2 = -1 };

        // Act / Assert
        Assert.That(options.Validate, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
