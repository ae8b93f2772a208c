using System.Numerics;
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
}
