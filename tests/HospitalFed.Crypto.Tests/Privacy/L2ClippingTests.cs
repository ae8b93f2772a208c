using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class L2ClippingTests
{
    [Test]
    public void Clip_LongVector_ScalesDownToTheClipNormKeepingDirection()
    {
        // Arrange: norm 5
        float[] x = [3f, 4f];
        var destination = new float[2];

        // Act
        var factor = L2Clipping.Clip(x, 1.0, destination);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(factor, Is.EqualTo(0.2).Within(1e-6));
            Assert.That(destination, Is.EqualTo(new[] { 0.6f, 0.8f }).Within(1e-6f));
            Assert.That(L2Clipping.Norm(destination), Is.LessThanOrEqualTo(1.0));
        });
    }

    [Test]
    public void Clip_ShortVector_LeavesItUnchanged()
    {
        float[] x = [0.3f, -0.4f];
        var destination = new float[2];

        var factor = L2Clipping.Clip(x, 1.0, destination);

        Assert.Multiple(() =>
        {
            Assert.That(factor, Is.EqualTo(1.0));
            Assert.That(destination, Is.EqualTo(x));
        });
    }

    [Test]
    public void Clip_ManyRandomVectors_NormNeverExceedsClip()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 200; trial++)
        {
            var x = Enumerable.Range(0, 1 + random.Next(500)).Select(_ => (float)(random.NextDouble() * 100 - 50)).ToArray();
            L2Clipping.Clip(x, 0.7, x);
            Assert.That(L2Clipping.Norm(x), Is.LessThanOrEqualTo(0.7), $"trial {trial}");
        }
    }

    [Test]
    public void Clip_NaNCoordinate_ThrowsNamingIt()
    {
        float[] x = [1f, float.NaN];

        var error = Assert.Throws<ArgumentException>(() => L2Clipping.Clip(x, 1.0, new float[2]));

        Assert.That(error!.Message, Does.Contain("coordinate 1"));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.PositiveInfinity)]
    public void Clip_BadClipNorm_Throws(double clip)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => L2Clipping.Clip([1f], clip, new float[1]));
    }
}
