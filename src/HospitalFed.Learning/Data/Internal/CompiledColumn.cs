using System.Globalization;
using System.Text;

namespace HospitalFed.Learning.Data.Internal;

/// <summary>A schema column prepared for byte-level matching: UTF-8 level bytes and numeric levels.</summary>
internal sealed class CompiledColumn
{
    private readonly byte[][] _levelBytes;
    private readonly double[] _levelNumbers;

    public CompiledColumn(ColumnSchema schema, IReadOnlyList<string> levels)
    {
        Schema = schema;
        _levelBytes = [.. levels.Select(Encoding.UTF8.GetBytes)];
        _levelNumbers = [.. levels.Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN)];
    }

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
