namespace HospitalFed.Learning.Data.Internal;

/// <summary>
/// Fast path for the numbers extracts are made of (<c>-12.5</c>, <c>63.0</c>, <c>.7</c>):
/// at most 15 significant digits and 22 decimals, no exponent. The digits form an integer
/// m &lt; 2^53 and 10^f is exact for f &lt;= 22, so m / 10^f is one correctly rounded IEEE
/// division and equals what double.Parse returns (Clinger, PLDI 1990, the "fast path").
/// Anything else returns false and goes to double.TryParse. It is several times faster than
/// double.TryParse, which dominated loading (see ExtractLoadingBenchmarks).
/// </summary>
internal static class PlainDecimal
{
    private const int MaxSignificantDigits = 15;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is (byte)'-' or (byte)'+')
        {
            negative = text[i] == (byte)'-';
            i++;
        }

        ulong mantissa = 0;
        int significant = 0, decimals = 0;
        bool point = false, digit = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digit = true;
                mantissa = (mantissa * 10) + (ulong)(c - '0');
                if (mantissa != 0 && ++significant > MaxSignificantDigits)
                {
                    return false;
                }

                if (point && ++decimals >= PowersOfTen.Length)
                {
                    return false;
                }
            }
            else if (c == (byte)'.' && !point)
            {
                point = true;
            }
            else
            {
                return false;
            }
        }

        if (!digit)
        {
            return false;
        }

        value = mantissa / PowersOfTen[decimals];
        if (negative)
        {
            value = -value;
        }

        return true;
    }
}
