using HospitalFed.Learning.Data;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// A <see cref="SyntheticCohort"/> as simulation sites: each of its four hospitals' train and test
/// extracts loaded through <see cref="ExtractLoader"/> and, for more than four sites, cut into equal
/// consecutive parts (site-a1, site-a2, ...). A hospital's rows are drawn independently from its
/// population, so its parts are sites with the same population; the consortium keeps the four
/// populations' label skew and covariate shift.
/// </summary>
public static class SyntheticCentres
{
    /// <summary>The most sites <see cref="Load"/> makes: 16 (four parts of each hospital).</summary>
    public const int MaxSites = 16;

    /// <summary>Generates the cohort of <paramref name="options"/> and returns <paramref name="sites"/> sites.</summary>
    /// <param name="options">The cohort's size, split and seed.</param>
    /// <param name="sites">4, 8, 12 or 16: a multiple of the cohort's four hospitals.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sites"/> is not 4, 8, 12 or 16, or an option is out of range.</exception>
    public static IReadOnlyList<CentreData> Load(SyntheticCohortOptions options, int sites)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (sites is < 4 or > MaxSites || sites % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sites), sites, "the synthetic consortium has 4, 8, 12 or 16 sites (each of its four hospitals cut into 1 to 4 sites)");
        }

        var cohort = SyntheticCohort.Generate(options);
        var parts = sites / cohort.Sites.Count;
        var centres = new List<CentreData>(sites);
        foreach (var hospital in cohort.Sites)
        {
            var train = hospital.LoadTrain();
            var test = hospital.LoadTest();
            for (var p = 0; p < parts; p++)
            {
                var name = parts == 1 ? hospital.Name : $"{hospital.Name}{p + 1}";
                centres.Add(new CentreData(name, Part(train, p, parts), Part(test, p, parts)));
            }
        }

        return centres;
    }

    private static ExtractTable Part(ExtractTable table, int part, int parts)
    {
        if (parts == 1)
        {
            return table;
        }

        var start = (int)((long)table.Rows * part / parts);
        var end = (int)((long)table.Rows * (part + 1) / parts);
        return table.Subset([.. Enumerable.Range(start, end - start)]);
    }
}
