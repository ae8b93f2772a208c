using System.Globalization;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// The grpc-timeout header: "Timeout → TimeoutValue TimeoutUnit", "TimeoutValue → {positive
/// integer as ASCII string of at most 8 digits}", unit one of H M S m u n (PROTOCOL-HTTP2.md "Requests").
/// </summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    private static readonly (char Unit, long Nanoseconds)[] Units =
    [
        ('H', 3_600_000_000_000), ('M', 60_000_000_000), ('S', 1_000_000_000), ('m', 1_000_000), ('u', 1_000), ('n', 1),
    ];

    /// <summary>Parses a header value; <see langword="false"/> for anything invalid (the server then ignores it).</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var unit = value[^1];
        foreach (var (u, ns) in Units)
        {
            if (u == unit)
            {
                // 99,999,999 hours overflows TimeSpan; such a deadline is as good as none.
                var nanoseconds = (decimal)amount * ns;
                timeout = nanoseconds / 100m >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)(nanoseconds / 100m));
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Formats a remaining time: rounded up to 3 significant figures (a deadline must never be shortened)
    /// in the largest unit that holds it exactly; <c>1n</c> when the deadline has already passed.
    /// </summary>
    public static string Format(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return "1n";
        }

        var nanoseconds = remaining.Ticks > long.MaxValue / 100 ? long.MaxValue : remaining.Ticks * 100;
        var digits = (int)Math.Floor(Math.Log10(nanoseconds)) + 1;
        if (digits > 3)
        {
            var scale = (long)Math.Pow(10, digits - 3);
            nanoseconds = checked(((nanoseconds + scale - 1) / scale) * scale);
        }

        foreach (var (unit, ns) in Units)
        {
            if (nanoseconds % ns == 0 && nanoseconds / ns <= MaxValue)
            {
                return (nanoseconds / ns).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        // Not exact in any unit within 8 digits: round up in the smallest unit that fits.
        foreach (var (unit, ns) in Units.Reverse())
        {
            var value = (nanoseconds + ns - 1) / ns;
            if (value <= MaxValue)
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
