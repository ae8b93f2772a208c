using System.Numerics;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class SpecialFftTests
{
    [Test]
    public void Forward_RandomCoefficients_EqualsEvaluationAtRotationGroupRoots()
    {
        // Arrange: slot j of m(X) is m(zeta^(5^j)), zeta = exp(i pi / N) (Cheon et al. 2017, §3.2)
        const int n = 2048;
        var fft = new SpecialFft(n);
        var random = new Random(5);
        var coefficients = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var re = coefficients[..(n / 2)];
        var im = coefficients[(n / 2)..];

        // Act
        fft.Forward(re, im);

        // Assert
        var exponent = 1L;
        for (var j = 0; j < n / 2; j++)
        {
            if (j % 61 == 0)
            {
                var expected = Complex.Zero;
                for (var k = 0; k < n; k++)
                {
                    expected += coefficients[k] * Complex.FromPolarCoordinates(1, System.Math.PI * (exponent * k % (2 * n)) / n);
                }

                Assert.That(re[j], Is.EqualTo(expected.Real).Within(1e-9), $"slot {j} real");
                Assert.That(im[j], Is.EqualTo(expected.Imaginary).Within(1e-9), $"slot {j} imaginary");
            }

            exponent = exponent * 5 % (2 * n);
        }
    }

    [Test]
    public void InverseThenForward_RandomSlots_IsIdentity()
    {
        var fft = new SpecialFft(4096);
        var random = new Random(6);
        var re = Enumerable.Range(0, 2048).Select(_ => random.NextDouble()).ToArray();
        var im = Enumerable.Range(0, 2048).Select(_ => random.NextDouble()).ToArray();
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());

        fft.Inverse(re, im);
        fft.Forward(re, im);

        Assert.Multiple(() =>
        {
            Assert.That(re, Is.EqualTo(re0).Within(1e-12));
            Assert.That(im, Is.EqualTo(im0).Within(1e-12));
        });
    }

    [TestCase(nameof(SimdWidth.Vector256), 2048)]
    [TestCase(nameof(SimdWidth.Vector512), 2048)]
    [TestCase(nameof(SimdWidth.Vector256), 4096)]
    [TestCase(nameof(SimdWidth.Vector512), 16384)]
    public void Forward_VectorWidth_BitIdenticalToScalar(string widthName, int n)
    {
        // Arrange: the vector butterflies evaluate the scalar expressions in the same order
        var width = Enum.Parse<SimdWidth>(widthName);
        var fft = new SpecialFft(n);
        var (re, im) = RandomSlots(n / 2, seed: n + (int)width);
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());

        // Act
        fft.Forward(re, im, width);
        fft.Forward(re0, im0, SimdWidth.Scalar);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(re, Is.EqualTo(re0));
            Assert.That(im, Is.EqualTo(im0));
        });
    }

    [TestCase(nameof(SimdWidth.Vector256), 2048)]
    [TestCase(nameof(SimdWidth.Vector512), 2048)]
    [TestCase(nameof(SimdWidth.Vector256), 4096)]
    [TestCase(nameof(SimdWidth.Vector512), 16384)]
    public void Inverse_VectorWidth_BitIdenticalToScalar(string widthName, int n)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        var fft = new SpecialFft(n);
        var (re, im) = RandomSlots(n / 2, seed: n - (int)width);
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());

        fft.Inverse(re, im, width);
        fft.Inverse(re0, im0, SimdWidth.Scalar);

        Assert.Multiple(() =>
        {
            Assert.That(re, Is.EqualTo(re0));
            Assert.That(im, Is.EqualTo(im0));
        });
    }

    [Test]
    public void InverseUnscaled_RandomSlots_IsInverseTimesSlotCount()
    {
        var fft = new SpecialFft(4096);
        var (re, im) = RandomSlots(2048, seed: 8);
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());

        fft.InverseUnscaled(re, im, SimdSupport.Best);
        fft.Inverse(re0, im0);

        Assert.Multiple(() =>
        {
            Assert.That(re.Select(x => x / 2048), Is.EqualTo(re0));
            Assert.That(im.Select(x => x / 2048), Is.EqualTo(im0));
        });
    }

    [Test]
    public void Forward_WrongLength_Throws()
    {
        var fft = new SpecialFft(2048);

        Assert.That(() => fft.Forward(new double[1024], new double[1023]), Throws.ArgumentException.With.Message.Contains("expected 1024"));
    }

    private static (double[] Re, double[] Im) RandomSlots(int count, int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * 1e3)],
            [.. Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * 1e3)]);
    }
}
