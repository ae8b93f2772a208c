using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Tests.Models;

public sealed class ModelGradientTests
{
    private const double Tolerance = 1e-4;

    [Test]
    public void LogisticRegression_RandomBatch_GradientMatchesFiniteDifferences()
    {
        // Arrange
        var random = new Random(1);
        var model = new LogisticRegression<double>(5);
        var parameters = GradientCheck.Gaussian(random, model.Layout.Count, 0.5);
        var features = GradientCheck.Gaussian(random, 7 * 5);
        double[] targets = [0, 1, 1, 0, 1, 0, 0];

        // Act
        var error = GradientCheck.MaxRelativeError(model, parameters, features, targets, [], 7);

        // Assert
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test]
    public void MultinomialLogisticRegression_RandomBatch_GradientMatchesFiniteDifferences()
    {
        // Arrange
        var random = new Random(2);
        var model = new MultinomialLogisticRegression<double>(4, 3);
        var parameters = GradientCheck.Gaussian(random, model.Layout.Count, 0.5);
        var features = GradientCheck.Gaussian(random, 6 * 4);
        double[] targets = [0, 1, 2, 2, 1, 0];

        // Act
        var error = GradientCheck.MaxRelativeError(model, parameters, features, targets, [], 6);

        // Assert
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [TestCase(1, new double[] { 0, 1, 1, 0, 1 })]
    [TestCase(3, new double[] { 0, 2, 1, 0, 2 })]
    public void MultilayerPerceptron_RandomBatch_GradientMatchesFiniteDifferences(int outputs, double[] targets)
    {
        // Arrange
        var random = new Random(3);
        var model = new MultilayerPerceptron<double>(4, [6, 5], outputs);
        var parameters = new double[model.Layout.Count];
        model.Initialize(parameters, random);
        GradientCheck.Gaussian(random, parameters.Length, 0.1).AsSpan().CopyTo(parameters.AsSpan(0));
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] += 0.05; // positive biases keep most ReLUs active, so every weight is exercised
        }

        var features = GradientCheck.Gaussian(random, 5 * 4);

        // Act
        var error = GradientCheck.MaxRelativeError(model, parameters, features, targets, [], 5);

        // Assert
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test]
    public void CoxProportionalHazards_TiedTimesAndCensoring_GradientMatchesFiniteDifferences()
    {
        // Arrange: three tied event times at 2, a tie at 5 mixing an event and a censoring.
        var random = new Random(4);
        var model = new CoxProportionalHazards<double>(3);
        var parameters = GradientCheck.Gaussian(random, model.Layout.Count, 0.5);
        var features = GradientCheck.Gaussian(random, 8 * 3);
        double[] times = [2, 5, 2, 7, 5, 1, 2, 9];
        double[] events = [1, 1, 1, 0, 0, 1, 1, 1];

        // Act
        var error = GradientCheck.MaxRelativeError(model, parameters, features, times, events, 8);

        // Assert
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test]
    public void CoxProportionalHazards_TwoSubjects_LossIsBreslowPartialLikelihood()
    {
        // Arrange: eta = (1, 0); subject 0 has the event at t=1, subject 1 is at risk with t=2.
        var model = new CoxProportionalHazards<double>(1);
        double[] parameters = [1];
        double[] features = [1, 0];
        var gradient = new double[1];

        // Act
        var loss = model.LossAndGradient(parameters, new ModelBatch<double>(features, [1.0, 2.0], [1.0, 0.0], 2), gradient, model.CreateWorkspace(2));

        // Assert: -log(e / (e + 1)) = log(1 + e^-1).
        Assert.That(loss, Is.EqualTo(Math.Log(1 + Math.Exp(-1))).Within(1e-12));
    }

    [Test]
    public void LogisticRegression_ZeroParameters_LossIsLogTwo()
    {
        // Arrange
        var model = new LogisticRegression<float>(2);
        var gradient = new float[3];

        // Act
        var loss = model.LossAndGradient(new float[3], new ModelBatch<float>([1, 2, 3, 4], [1, 0], [], 2), gradient, model.CreateWorkspace(2));

        // Assert: p = 0.5 everywhere; bias gradient = mean(p - y) = 0.
        Assert.Multiple(() =>
        {
            Assert.That(loss, Is.EqualTo(MathF.Log(2)).Within(1e-6));
            Assert.That(gradient[2], Is.EqualTo(0).Within(1e-7));
        });
    }

    [Test]
    public void MultilayerPerceptron_Layout_NamesEveryBlockInOrder()
    {
        // Arrange / Act
        var layout = new MultilayerPerceptron<float>(3, [4], 2).Layout;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(layout.Segments.Select(s => (s.Name, s.Offset, s.Length)), Is.EqualTo(new[]
            {
                ("layer0.weight", 0, 12), ("layer0.bias", 12, 4), ("layer1.weight", 16, 8), ("layer1.bias", 24, 2),
            }));
            Assert.That(layout.Count, Is.EqualTo(26));
        });
    }

    [Test]
    public void LossAndGradient_WorkspaceOfAnotherModel_Throws()
    {
        // Arrange
        var model = new LogisticRegression<float>(2);
        var other = new LogisticRegression<float>(2);

        // Act / Assert
        Assert.That(
            () => model.LossAndGradient(new float[3], new ModelBatch<float>([1, 2], [1], [], 1), new float[3], other.CreateWorkspace(1)),
            Throws.ArgumentException);
    }
}
