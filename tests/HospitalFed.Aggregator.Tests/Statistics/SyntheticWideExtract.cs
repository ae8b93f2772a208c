using System.Globalization;
using System.Text;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Simulation;

namespace HospitalFed.Aggregator.Tests.Statistics;

/// <summary>
/// A wide synthetic extract written in code (issue 15, deliverable 2): four sites whose feature
/// scales span 1e-4 to 1e6, with an exactly constant feature, a nearly constant one, tiny-variance
/// and huge-mean/small-variance features, rare and common flags, counts, a column with missing
/// values and a five-level one-hot column, each site shifted so pooled and local statistics differ.
/// The rows go through the extract loader as CSV, the way a site reads its extract.
/// </summary>
internal static class SyntheticWideExtract
{
    private const int Sites = 4;
    private const int TrainRows = 1500;
    private const int TestRows = 100;
    private static readonly string[] WardLevels = ["A", "B", "C", "D", "E"];
    private static readonly double[] WardShares = [0.5, 0.3, 0.15, 0.04, 0.01];

    /// <summary>The schema and the four sites' train/test tables, from a fixed seed.</summary>
    public static (ExtractSchema Schema, IReadOnlyList<CentreData> Centres) Create(int seed = 15)
    {
        var generators = Generators();
        var schema = new ExtractSchema
        {
            Header = true,
            Standardize = StandardizeMode.All,
            Columns =
            [
                .. generators.Select(g => new ColumnSchema { Name = g.Name, Type = g.Type, Missing = g.Missing }),
                new ColumnSchema { Name = "ward", Type = ColumnType.Categorical, Levels = WardLevels },
                new ColumnSchema { Name = "y", Type = ColumnType.Binary },
            ],
            Target = new TargetSchema { Column = "y", GreaterThan = 0 },
        };

        var centres = new CentreData[Sites];
        for (var site = 0; site < Sites; site++)
        {
            var random = new Random(seed + site);
            var train = Load(schema, $"site-{site + 1}-train.csv", Csv(generators, site, TrainRows, random));
            var test = Load(schema, $"site-{site + 1}-test.csv", Csv(generators, site, TestRows, random));
            centres[site] = new CentreData($"site-{site + 1:00}", train, test);
        }

        return (schema, centres);
    }

    private static ExtractTable Load(ExtractSchema schema, string source, string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return ExtractLoader.Load(stream, source, schema);
    }

    private static string Csv(IReadOnlyList<Generator> generators, int site, int rows, Random random)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', [.. generators.Select(g => g.Name), "ward", "y"]).Append('\n');
        for (var r = 0; r < rows; r++)
        {
            foreach (var g in generators)
            {
                var value = g.Draw(random, site);
                text.Append(double.IsNaN(value) ? "NA" : ((float)value).ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(Ward(random, site)).Append(',').Append(random.NextDouble() < 0.3 + (0.1 * site) ? '1' : '0').Append('\n');
        }

        return text.ToString();
    }

    private static string Ward(Random random, int site)
    {
        // Sites favour different wards (covariate shift in the one-hot counts).
        var u = random.NextDouble();
        for (var level = 0; level < WardLevels.Length; level++)
        {
            u -= WardShares[(level + site) % WardLevels.Length];
            if (u < 0)
            {
                return WardLevels[level];
            }
        }

        return WardLevels[^1];
    }

    private static List<Generator> Generators()
    {
        var list = new List<Generator>();
        for (var e = -4; e <= 6; e++)
        {
            var scale = Math.Pow(10, e);
            list.Add(new($"normal_1e{e}", (r, k) => scale * (0.3 + (0.05 * k) + Normal(r))));
        }

        foreach (var e in new[] { -4, -2, 0, 2, 4, 6 })
        {
            var scale = Math.Pow(10, e);
            list.Add(new($"lognormal_1e{e}", (r, k) => scale * Math.Exp((0.1 * k) + Normal(r))));
        }

        list.Add(new("huge_mean", (r, k) => 1e6 + (0.1 * Normal(r)) + (0.125 * k)));
        list.Add(new("negative_huge", (r, k) => -1e6 * (0.5 + (0.5 * r.NextDouble())) - (1e4 * k)));
        list.Add(new("offset_1e5", (r, k) => 1e5 + (10 * Normal(r))));
        list.Add(new("big_mean_tiny_spread", (r, k) => 1e3 + (1e-3 * Normal(r))));
        list.Add(new("tiny_variance", (r, k) => 1 + (2e-7 * Normal(r))));
        list.Add(new("constant", (_, _) => 7));
        list.Add(new("nearly_constant", (r, _) => r.NextDouble() < 0.001 ? 43 : 42));
        list.Add(new("rare_flag", (r, k) => r.NextDouble() < 0.005 * (k + 1) ? 1 : 0, ColumnType.Binary));
        list.Add(new("flag", (r, k) => r.NextDouble() < 0.4 + (0.05 * k) ? 1 : 0, ColumnType.Binary));
        list.Add(new("count", (r, k) => Poisson(r, 3 + k)));
        list.Add(new("count_large", (r, k) => Math.Round(200 + (15 * Normal(r)) + (5 * k))));
        list.Add(new("sparse_count", (r, _) => r.NextDouble() < 0.95 ? 0 : Poisson(r, 2)));
        list.Add(new("with_missing", (r, k) => r.NextDouble() < 0.1 * (k + 1) ? double.NaN : 50 + (5 * Normal(r)), Missing: MissingPolicy.Impute));
        return list;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Poisson(Random random, double lambda)
    {
        // Knuth's multiplication method: fine for the small rates here.
        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    private sealed record Generator(string Name, Func<Random, int, double> Draw, ColumnType Type = ColumnType.Numeric, MissingPolicy Missing = MissingPolicy.Reject);
}
