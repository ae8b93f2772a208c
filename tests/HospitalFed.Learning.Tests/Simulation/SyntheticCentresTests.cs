using HospitalFed.Learning.Simulation;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Tests.Simulation;

/// <summary>The synthetic cohort as 4 to 16 simulation sites.</summary>
public sealed class SyntheticCentresTests
{
    [Test]
    public void SyntheticCentres_SixteenSites_CutEachHospitalIntoFourWithEveryRowOnce()
    {
        // Arrange
        var options = new SyntheticCohortOptions { Rows = 4_000 };
        var cohort = SyntheticCohort.Generate(options);

        // Act
        var centres = SyntheticCentres.Load(options, 16);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(centres, Has.Count.EqualTo(16));
            Assert.That(centres[0].Name, Is.EqualTo("site-a1"));
            Assert.That(centres.Sum(c => c.Train.Rows), Is.EqualTo(cohort.Sites.Sum(s => s.TrainRows)));
            Assert.That(centres.Sum(c => c.Test.Rows), Is.EqualTo(cohort.Sites.Sum(s => s.TestRows)));
            Assert.That(centres.Take(4).Sum(c => c.Train.Rows), Is.EqualTo(cohort.Sites[0].TrainRows));
            Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCentres.Load(options, 6));
        });
    }
}
