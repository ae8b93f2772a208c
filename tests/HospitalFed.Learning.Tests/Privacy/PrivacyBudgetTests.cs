using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

public sealed class PrivacyBudgetTests
{
    [Test]
    public void Spend_RoundsThatFit_StopsBeforeTheBudgetIsExceeded()
    {
        // Arrange: epsilon 3 at delta 1e-5 with rounds of noise multiplier 8 (rho = 1 / 128 each).
        // The reference count is the largest n whose brute-force epsilon stays within 3.
        const double roundRho = 1.0 / 128;
        var expected = 0;
        while (ReferenceDp.ZcdpEpsilon((expected + 1) * roundRho, 1e-5) <= 3.0)
        {
            expected++;
        }

        var budget = new PrivacyBudget(3.0, 1e-5);

        // Act
        var fit = budget.RoundsThatFit(roundRho);
        for (var i = 0; i < fit; i++)
        {
            budget = budget.Spend(roundRho);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fit, Is.EqualTo(expected));
            Assert.That(budget.RoundsSpent, Is.EqualTo(expected));
            Assert.That(budget.SpentRho, Is.EqualTo(expected * roundRho).Within(1e-12));
            Assert.That(budget.SpentEpsilon, Is.LessThanOrEqualTo(3.0));
            Assert.That(budget.Fits(roundRho), Is.False);
            Assert.That(budget.IsExceeded, Is.False);
        });
    }

    [Test]
    public void Spend_RoundBeyondTheBudget_ThrowsAndLeavesTheBudgetUnchanged()
    {
        // Arrange
        var budget = new PrivacyBudget(1.0, 1e-5);

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => budget.Spend(1.0));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("Round 1").And.Contain("beyond the approved epsilon 1"));
            Assert.That(budget.SpentRho, Is.Zero);
            Assert.That(budget.RoundsSpent, Is.Zero);
        });
    }

    [Test]
    public void Spend_DiscreteThenCkksRound_ComposesByAddingRho()
    {
        // Arrange: a discrete round and a CKKS round on one budget.
        var discrete = new DistributedDiscreteGaussian(100, 400, 3, 1024).RoundRho(4);
        var gaussian = new DistributedGaussian(1, 5, 2).RoundRho(2);

        // Act
        var budget = new PrivacyBudget(8.0, 1e-6).Spend(discrete).Spend(gaussian);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(budget.SpentRho, Is.EqualTo((10000.0 / (2 * 4 * (400.0 * 400 / 3))) + (1.0 / 50)).Within(1e-12));
            Assert.That(budget.SpentEpsilon, Is.EqualTo(ReferenceDp.ZcdpEpsilon(budget.SpentRho, 1e-6)).Within(1e-3 * budget.SpentEpsilon));
            Assert.That(budget.RoundsSpent, Is.EqualTo(2));
        });
    }

    [Test]
    public void IsExceeded_ReplayedSpendBeyondTheBudget_IsTrue()
    {
        // Arrange: an auditor replays a log whose spend (rho 1, epsilon about 8.6 at 1e-5) exceeds 3.
        var budget = new PrivacyBudget(3.0, 1e-5, spentRho: 1.0, roundsSpent: 10);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(budget.IsExceeded, Is.True);
            Assert.That(budget.RoundsThatFit(0.01), Is.Zero);
            Assert.That(budget.Fits(0), Is.False);
        });
    }

    [Test]
    public void Fits_NothingSpentAndFreeRound_IsTrue()
    {
        // Act / Assert
        Assert.That(new PrivacyBudget(0.5, 1e-9).Fits(0), Is.True);
    }

    [TestCase(0.0, 1e-5, 0.0, "epsilon")]
    [TestCase(1.0, 0.0, 0.0, "delta")]
    [TestCase(1.0, 1e-5, -1.0, "spentRho")]
    public void Constructor_BadArgument_ThrowsNamingIt(double epsilon, double delta, double spent, string name)
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PrivacyBudget(epsilon, delta, spent));
        Assert.That(error!.ParamName, Is.EqualTo(name));
    }

    [Test]
    public void Fits_NegativeRoundRho_ThrowsNamingIt()
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PrivacyBudget(1, 1e-5).Fits(-0.1));
        Assert.That(error!.ParamName, Is.EqualTo("roundRho"));
    }
}
