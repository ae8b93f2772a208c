using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class RandomizedHadamardTests
{
    private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(1000)]
    [TestCase(4096)]
    public void InverseInPlace_AfterRotate_ReturnsTheInput(int dimension)
    {
        // Arrange
        var random = new Random(dimension);
        var x = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var rotation = new RandomizedHadamard(dimension, Seed);
        var rotated = new double[rotation.PaddedDimension];
        var back = new double[dimension];

        // Act
        rotation.Rotate(x, rotated);
        rotation.InverseInPlace(rotated, back);

        // Assert
        Assert.That(back, Is.EqualTo(x.Select(v => (double)v).ToArray()).Within(1e-9));
    }

    [Test]
    public void Rotate_RandomVector_KeepsL2NormAndPadsToPowerOfTwo()
    {
        // Arrange
        var random = new Random(7);
        var x = Enumerable.Range(0, 3000).Select(_ => (float)random.NextDouble()).ToArray();
        var rotation = new RandomizedHadamard(x.Length, Seed);
        var rotated = new double[rotation.PaddedDimension];

        // Act
        rotation.Rotate(x, rotated);

        // Assert
        var norm = Math.Sqrt(x.Sum(v => (double)v * v));
        Assert.Multiple(() =>
        {
            Assert.That(rotation.PaddedDimension, Is.EqualTo(4096));
            Assert.That(Math.Sqrt(rotated.Sum(v => v * v)), Is.EqualTo(norm).Within(1e-9 * norm));
        });
    }

    [Test]
    public void Rotate_OneHotVector_FlattensEveryCoordinateToNormOverRootD()
    {
        // Arrange: all mass on one coordinate, the worst case for quantisation
        var x = new float[1024];
        x[17] = 8f;
        var rotation = new RandomizedHadamard(x.Length, Seed);
        var rotated = new double[rotation.PaddedDimension];

        // Act
        rotation.Rotate(x, rotated);

        // Assert: |y_i| = ||x|| / sqrt(d) = 8 / 32 for every i
        Assert.That(rotated.Select(Math.Abs).ToArray(), Is.All.EqualTo(0.25).Within(1e-12));
    }

    [Test]
    public void Rotate_DifferentSeeds_GiveDifferentSigns()
    {
        var x = Enumerable.Repeat(1f, 64).ToArray();
        var first = new double[64];
        var second = new double[64];
        var otherSeed = Seed.Reverse().ToArray();

        new RandomizedHadamard(64, Seed).Rotate(x, first);
        new RandomizedHadamard(64, otherSeed).Rotate(x, second);

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void Rotate_WrongLength_ThrowsNamingTheLengths()
    {
        var rotation = new RandomizedHadamard(10, Seed);

        var error = Assert.Throws<ArgumentException>(() => rotation.Rotate(new float[9], new double[16]));

        Assert.That(error!.Message, Does.Contain("10").And.Contain("9"));
    }

    [Test]
    public void Constructor_ShortSeed_Throws()
    {
        Assert.Throws<ArgumentException>(() => _ = new RandomizedHadamard(10, new byte[16]));
    }
}
