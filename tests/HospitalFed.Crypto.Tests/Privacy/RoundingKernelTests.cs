using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Privacy.Internal;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class RoundingKernelTests
{
    private const double Tiny = 1.0 / (1L << 33); // 2^-33: 2.5 + Tiny has fraction just above one half, so its first 16 coin bits can tie

    private static IEnumerable<string> Widths() => SimdSupport.Supported.Select(w => w.ToString());

    [TestCaseSource(nameof(Widths))]
    public void Round_CraftedCoinsAndTies_RoundsExactlyAsTheLazyComparisonSays(string widthName)
    {
        // Arrange: value, first coin, expected result; ties (coin = floor(2^16 frac)) draw more words
        // from the source, lowest index first: the queue below is consumed by lanes 0, 3, 8, 9 only.
        var width = Enum.Parse<SimdWidth>(widthName);
        (double Value, ushort Coin, int Expected)[] cases =
        [
            (2.5 + Tiny, 1 << 15, 3),                   // tie (floor(2^16 * 0.5000...) = 2^15); next word 2^15 - 1 < 2^15: up
            (2.5 + Tiny, (1 << 15) - 1, 3),             // coin below the threshold: up, no draw
            (2.5 + Tiny, (1 << 15) + 1, 2),             // coin above: down, no draw
            (-(2.5 + Tiny), 1 << 15, -2),               // tie on |s|; next word 2^15 + 1: down, so -2
            (7.0, 0, 7),                                // integer: a tie on 0 with nothing left over, down, no draw
            (-0.25, (1 << 14) - 1, -1),                 // |s| rounds up to 1
            (-0.25, 1 << 14, 0),                        // tie with nothing left over: down, no draw
            (0.75, ushort.MaxValue, 0),                 // coin above: down
            (2.5 + Tiny, 1 << 15, 2),                   // tie; next word equals 2^15 and nothing is left: down
            (1 + Tiny + (1.0 / (1L << 40)), 0, 2),      // tie; residual 2^-17 + 2^-24, next word just below 2^15 + 2^8: up
            (0.5, 0, 1),
            (0.5, 1 << 15, 0),
            (-1e-300, 1, 0),                            // coin above floor(2^16 * 1e-300) = 0: down to -0 = 0
            (1023.999, 5, 1024),
            (-1023.999, ushort.MaxValue, -1023),
            (0.0, 0, 0),
        ];
        var refine = new QueuedRandomSource((1u << 15) - 1, (1u << 15) + 1, 1u << 15, (1u << 15) + (1u << 8) - 1);
        var values = cases.Select(c => c.Value).ToArray();
        var coins = cases.Select(c => c.Coin).ToArray();
        var destination = new int[cases.Length];

        // Act
        var squares = RoundingKernel.Round(values, values.Length, 1, 1.0, coins, destination, 0, values.Length, refine, width);

        // Assert
        var expected = cases.Select(c => c.Expected).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(destination, Is.EqualTo(expected));
            Assert.That(squares, Is.EqualTo(expected.Sum(q => (long)q * q)));
            Assert.That(refine.Remaining, Is.Zero, "every tie drew, and only ties drew");
        });
    }
}
