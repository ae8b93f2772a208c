using System.Globalization;
using System.Text;

namespace HospitalFed.Learning.Data.Internal;

/// <summary>A schema column prepared for byte-level matching: UTF-8 level bytes and numeric levels.</summary>
internal sealed class CompiledColumn
{
    private readonly byte[][] _levelBytes;
    private readonly double[] _levelNumbers;
    private readonly double[] _sentinels;
    private readonly double _minimum;
    private readonly double _maximum;

    public CompiledColumn(ColumnSchema schema, IReadOnlyList<string> levels)
    {
        Schema = schema;
        _levelBytes = [.. levels.Select(Encoding.UTF8.GetBytes)];
        _levelNumbers = [.. levels.Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN)];
        _sentinels = [.. schema.Sentinels];
        _minimum = schema.Minimum ?? double.NegativeInfinity;
        _maximum = schema.Maximum ?? double.PositiveInfinity;
        RangeError = string.Create(
            CultureInfo.InvariantCulture,
            $"is outside the valid range [{schema.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {schema.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "inf"}]");
    }

    /// <summary>The reason reported for a value outside [minimum, maximum].</summary>
    public string RangeError { get; }

    public bool InRange(double value) => value >= _minimum && value <= _maximum;

    public bool IsSentinel(double value) => Array.IndexOf(_sentinels, value) >= 0;

    public ColumnSchema Schema { get; }

    /// <summary>Index of the level <paramref name="value"/> names, or -1. Numeric levels match numerically.</summary>
    public int FindLevel(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _levelBytes.Length; i++)
        {
            if (value.SequenceEqual(_levelBytes[i]))
            {
                return i;
            }
        }

        if (ExtractParser.TryParseNumber(value, out var number))
        {
            for (var i = 0; i < _levelNumbers.Length; i++)
            {
                if (_levelNumbers[i] == number)
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
