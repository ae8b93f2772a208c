using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Synthetic;

/// <summary>Size, split and seed of a <see cref="SyntheticCohort"/>.</summary>
public sealed record SyntheticCohortOptions
{
    /// <summary>
    /// The most rows <see cref="Rows"/> may ask for: the largest site then holds at most 760,000,
    /// within the 2^20 rows a site may report to the services (the aggregator refuses a larger
    /// sample count), and the extracts, held in memory as strings, stay near 300 MB.
    /// </summary>
    public const int MaxRows = 2_000_000;

    /// <summary>The seed every draw derives from; default 20261205. The same options give byte-identical extracts.</summary>
    public int Seed { get; init; } = 20261205;

    /// <summary>Rows over all four sites, train and test together; default 60,000 (sites hold 38%, 28%, 20% and 14%).</summary>
    public int Rows { get; init; } = 60_000;

    /// <summary>Share of each site's rows held out as its test split; default 0.25.</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>
    /// The schema's <c>standardize</c> member; default <see cref="StandardizeMode.All"/>, as the
    /// heart-disease sample's schema (FLamby) has it. With <see cref="StandardizeMode.Numeric"/>
    /// the sex, missing-indicator and one-hot features stay uncentred 0/1 columns that correlate
    /// with the bias, the problem is ill-conditioned and plain SGD at the plan defaults needs about
    /// five times the rounds to reach the pooled fit (docs/learning.md "Synthetic benchmark").
    /// </summary>
    public StandardizeMode Standardize { get; init; } = StandardizeMode.All;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Rows is < 400 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "Rows must be from 400 to 2,000,000 (every site needs train and test rows, and the largest site's rows must stay within the services' per-site count bound of 2^20).");
        }

        if (TestFraction is not (>= 0.05 and <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must be from 0.05 to 0.5.");
        }

        if (!Enum.IsDefined(Standardize))
        {
            throw new ArgumentOutOfRangeException(nameof(Standardize), Standardize, "Standardize must be numeric, all or none.");
        }
    }
}
