using System.Globalization;
using System.Text;
using HospitalFed.Learning.Data.Internal;

namespace HospitalFed.Learning.Tests.Data;

public sealed class PlainDecimalTests
{
    [TestCase("63.0", 63.0)]
    [TestCase(".7", 0.7)]
    [TestCase("-0.5", -0.5)]
    [TestCase("+12", 12.0)]
    [TestCase("1.", 1.0)]
    [TestCase("0.1", 0.1)]
    [TestCase("000123.4500", 123.45)]
    [TestCase("999999999999999", 999999999999999.0)]
    public void TryParse_PlainDecimal_EqualsDoubleParse(string text, double expected)
    {
        // Act
        var parsed = PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var value);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(value, Is.EqualTo(expected));
        });
    }

    [TestCase("1e5")]
    [TestCase("")]
    [TestCase(".")]
    [TestCase("-")]
    [TestCase("1.2.3")]
    [TestCase("1,5")]
    [TestCase("1234567890123456")]
    [TestCase("NaN")]
    public void TryParse_NotAPlainDecimal_DefersToTheFullParser(string text)
    {
        // Act / Assert
        Assert.That(PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void TryParse_RandomDecimals_AreBitIdenticalToDoubleParse()
    {
        // Arrange
        var random = new Random(13);
        var mismatches = new List<string>();

        // Act
        for (var n = 0; n < 100_000; n++)
        {
            var integer = random.NextInt64(0, 10_000_000);
            var fraction = random.NextInt64(0, 100_000_000).ToString(CultureInfo.InvariantCulture).PadLeft(random.Next(1, 9), '0');
            var text = $"{(random.Next(2) == 0 ? "-" : "")}{integer}.{fraction}";
            if (!PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var value)
                || BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)))
            {
                mismatches.Add(text);
            }
        }

        // Assert
        Assert.That(mismatches, Is.Empty);
    }
}
