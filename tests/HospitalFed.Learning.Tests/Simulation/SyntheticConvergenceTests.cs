using System.Globalization;
using System.Text;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Simulation;

namespace HospitalFed.Learning.Tests.Simulation;

/// <summary>
/// A quick convergence check of the default training options on a larger dataset than
/// heart-disease: 20,000 rows, 20 features, about 10% positives, 4 sites of unequal size with
/// covariate shift. Federated training with nothing but the defaults must reach the test AUC of a
/// pooled logistic regression fitted to convergence by Newton's method in double precision.
/// </summary>
public sealed class SyntheticConvergenceTests
{
    private const int Features = 20;
    private static readonly int[] SiteRows = [8_000, 6_000, 4_000, 2_000];

    [Test]
    public void FedAvg_DefaultOptions_ReachesTheConvergedPooledAuc()
    {
        // Arrange
        var random = new Random(2026);
        var beta = Enumerable.Range(0, Features).Select(j => j % 4 == 3 ? 0 : ((random.NextDouble() * 2) - 1) * 0.8).ToArray();
        var sites = SiteRows.Select((rows, k) => Generate(random, beta, rows, shift: (k - 1.5) * 0.5)).ToArray();
        var schema = Schema();
        var centres = sites.Select((s, k) => new CentreData($"site{k}", Load(s.Train, schema), Load(s.Test, schema))).ToList();
        var settings = new SimulationSettings { Strategies = [new StrategySpec { Kind = StrategyKind.FedAvg }], Seeds = [0] };

        // Act
        var report = FederatedSimulation.Run(centres, settings);
        var reference = NewtonAuc(sites);

        // Assert
        var federated = report["FedAvg"].PooledAuc;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"converged pooled LR (Newton) AUC {reference:F4}; FedAvg defaults {federated:F4}; pooled defaults {report["Pooled"].PooledAuc:F4}"));
        Assert.That(federated, Is.GreaterThanOrEqualTo(reference - 0.005));
    }

    private static (List<double[]> Train, List<double[]> Test) Generate(Random random, double[] beta, int rows, double shift)
    {
        var train = new List<double[]>();
        var test = new List<double[]>();
        for (var r = 0; r < rows; r++)
        {
            var row = new double[Features + 1];
            var logit = -2.6;
            for (var j = 0; j < Features; j++)
            {
                row[j] = Gaussian(random) + (j < 5 ? shift : 0);
                logit += beta[j] * row[j];
            }

            row[Features] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
            (r % 5 == 0 ? test : train).Add(row);
        }

        return (train, test);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static ExtractSchema Schema()
    {
        var columns = string.Join(", ", Enumerable.Range(0, Features).Select(j => $$"""{ "name": "x{{j}}", "type": "numeric" }"""));
        return ExtractSchema.Parse($$"""{ "header": false, "standardize": "all", "columns": [{{columns}}, { "name": "y", "type": "numeric" }], "target": { "column": "y", "greaterThan": 0 } }""");
    }

    private static ExtractTable Load(List<double[]> rows, ExtractSchema schema)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        return ExtractLoader.Load(stream, "synthetic.csv", schema);
    }

    /// <summary>Test AUC of the unregularised maximum-likelihood logistic regression on the pooled training rows (Newton-Raphson to a gradient norm of 1e-10).</summary>
    private static double NewtonAuc((List<double[]> Train, List<double[]> Test)[] sites)
    {
        var train = sites.SelectMany(s => s.Train).ToList();
        var p = Features + 1;
        var w = new double[p];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[p];
            var hessian = new double[p, p];
            foreach (var row in train)
            {
                var x = Augment(row);
                var mu = 1 / (1 + Math.Exp(-Dot(w, x)));
                for (var i = 0; i < p; i++)
                {
                    gradient[i] += (mu - row[Features]) * x[i];
                    for (var j = 0; j < p; j++)
                    {
                        hessian[i, j] += mu * (1 - mu) * x[i] * x[j];
                    }
                }
            }

            var step = Solve(hessian, gradient);
            for (var i = 0; i < p; i++)
            {
                w[i] -= step[i];
            }

            if (Math.Sqrt(gradient.Sum(g => g * g)) < 1e-10)
            {
                break;
            }
        }

        var test = sites.SelectMany(s => s.Test).ToList();
        var scores = test.Select(row => (float)(1 / (1 + Math.Exp(-Dot(w, Augment(row)))))).ToArray();
        return BinaryMetrics.AucRoc(scores, [.. test.Select(row => (float)row[Features])]);
    }

    private static double[] Augment(double[] row) => [.. row.AsSpan(0, Features), 1.0];

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>Gaussian elimination with partial pivoting (the Hessian is small and positive definite).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
            for (var j = 0; j < n; j++)
            {
                (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            }

            (v[c], v[pivot]) = (v[pivot], v[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var j = c; j < n; j++)
                {
                    m[r, j] -= f * m[c, j];
                }

                v[r] -= f * v[c];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = v[r];
            for (var j = r + 1; j < n; j++)
            {
                s -= m[r, j] * x[j];
            }

            x[r] = s / m[r, r];
        }

        return x;
    }
}
