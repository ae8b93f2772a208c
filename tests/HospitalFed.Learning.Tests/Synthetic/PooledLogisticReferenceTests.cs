using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Tests.Synthetic;

public sealed class PooledLogisticReferenceTests
{
    private static readonly Lazy<PooledLogisticReference> Reference = new(() =>
    {
        var cohort = SyntheticCohort.Generate(new SyntheticCohortOptions { Rows = 8_000, Seed = 5 });
        return PooledLogisticReference.Create(cohort.Schema, [.. cohort.Sites.Select(s => s.LoadTrain())], [.. cohort.Sites.Select(s => s.LoadTest())]);
    });

    [Test]
    public void Create_SyntheticCohort_ConvergesAndRanksWellAboveChance()
    {
        // Act
        var reference = Reference.Value;

        // Assert: the ground truth is mostly linear, so the fit is informative but not perfect.
        Assert.That(reference.Fit.Converged, Is.True);
        Assert.That(reference.TestAuc, Is.InRange(0.7, 0.95));
    }

    [Test]
    public void TestAucOf_ReferenceOwnModel_ReproducesItsAuc()
    {
        // Arrange
        var reference = Reference.Value;
        var parameters = Array.ConvertAll(reference.Fit.Parameters, p => (float)p);

        // Act
        var auc = reference.TestAucOf(parameters, reference.Statistics);

        // Assert: only the narrowing of the parameters to float32 differs.
        Assert.That(auc, Is.EqualTo(reference.TestAuc).Within(1e-4));
    }

    [Test]
    public void TestAucOf_ZeroModel_IsChance()
    {
        // Arrange
        var reference = Reference.Value;

        // Act: every row scores 0.5, a single tie.
        var auc = reference.TestAucOf(new float[reference.Fit.Parameters.Length], reference.Statistics);

        // Assert
        Assert.That(auc, Is.EqualTo(0.5));
    }

    [Test]
    public void TestAucOf_WrongParameterCount_ThrowsNamingParameters()
    {
        // Act and assert
        var error = Assert.Throws<ArgumentException>(() => Reference.Value.TestAucOf(new float[3], Reference.Value.Statistics));
        Assert.That(error!.ParamName, Is.EqualTo("parameters"));
    }
}
