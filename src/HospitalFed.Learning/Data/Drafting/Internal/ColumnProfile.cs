using System.Globalization;
using System.Text;
using HospitalFed.Learning.Data.Internal;

namespace HospitalFed.Learning.Data.Drafting.Internal;

/// <summary>
/// What one column of an extract holds, accumulated line by line in bounded memory: missing
/// tokens, how many values parse as numbers (and where the first that do not are), range,
/// integrality, and the distinct values up to <see cref="MaxDistinct"/>.
/// </summary>
internal sealed class ColumnProfile
{
    /// <summary>Distinct values kept per column; beyond this the column is high-cardinality and only counted.</summary>
    public const int MaxDistinct = 1000;

    /// <summary>Values that commonly mean "missing" in hospital exports (compared after trimming spaces).</summary>
    public static IReadOnlyList<string> MissingCandidates { get; } = ["", "?", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", "None", "#N/A"];

    private readonly Dictionary<string, long> _distinct = new(StringComparer.Ordinal);

    public ColumnProfile(string name) => Name = name;

    public string Name { get; }

    public long Missing { get; private set; }

    public long FirstMissingLine { get; private set; }

    public long Numbers { get; private set; }

    public long Texts { get; private set; }

    /// <summary>Up to three lines whose value is not a number (the first offending values of a mostly numeric column).</summary>
    public List<long> TextLines { get; } = [];

    public bool AllIntegers { get; private set; } = true;

    public double Minimum { get; private set; } = double.PositiveInfinity;

    public double Maximum { get; private set; } = double.NegativeInfinity;

    public double Sum { get; private set; }

    /// <summary>True when more than <see cref="MaxDistinct"/> distinct values were seen.</summary>
    public bool Overflow { get; private set; }

    public IReadOnlyDictionary<string, long> Distinct => _distinct;

    public long Present => Numbers + Texts;

    /// <summary>Adds one field value (already unquoted and trimmed) from 1-based line <paramref name="line"/>.</summary>
    public void Add(string value, long line, ISet<string> missingSeen)
    {
        if (MissingCandidates.Contains(value))
        {
            missingSeen.Add(value);
            if (Missing++ == 0)
            {
                FirstMissingLine = line;
            }

            return;
        }

        if (ExtractParser.TryParseNumber(Encoding.UTF8.GetBytes(value), out var number))
        {
            Numbers++;
            AllIntegers &= Math.Floor(number) == number;
            Minimum = Math.Min(Minimum, number);
            Maximum = Math.Max(Maximum, number);
            Sum += number;
        }
        else
        {
            if (Texts++ < 3)
            {
                TextLines.Add(line);
            }
        }

        if (_distinct.TryGetValue(value, out var count))
        {
            _distinct[value] = count + 1;
        }
        else if (_distinct.Count < MaxDistinct)
        {
            _distinct[value] = 1;
        }
        else
        {
            Overflow = true;
        }
    }

    /// <summary>Distinct values in level order: numerically when all are numbers, else ordinally.</summary>
    public List<string> Levels() => Texts == 0
        ? [.. _distinct.Keys.OrderBy(k => double.Parse(k, CultureInfo.InvariantCulture)).ThenBy(k => k, StringComparer.Ordinal)]
        : [.. _distinct.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether every present value is 0 or 1.</summary>
    public bool IsZeroOne => Texts == 0 && Numbers > 0 && !Overflow && _distinct.Keys.All(k => double.Parse(k, CultureInfo.InvariantCulture) is 0 or 1);

    /// <summary>Whether the values look like dates or times (ISO or day/month/year), which are never features as they stand.</summary>
    public bool LooksLikeDates => Texts > 0 && _distinct.Keys.Take(20).All(LooksLikeDate);

    private static bool LooksLikeDate(string value) =>
        value.Length >= 8 && value.Count(char.IsAsciiDigit) >= 6 && value.Count(c => c is '-' or '/' or ':') >= 2;
}
