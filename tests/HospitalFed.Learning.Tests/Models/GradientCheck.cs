using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Tests.Models;

/// <summary>Central finite differences in float64 against a model's analytic gradient.</summary>
internal static class GradientCheck
{
    private const double Step = 1e-6;

    /// <summary>Largest relative error over every parameter, |a - n| / max(|a|, |n|, 1e-6).</summary>
    public static double MaxRelativeError(IModel<double> model, double[] parameters, double[] features, double[] targets, double[] events, int rows)
    {
        var workspace = model.CreateWorkspace(rows);
        var analytic = new double[parameters.Length];
        var scratch = new double[parameters.Length];
        model.LossAndGradient(parameters, new ModelBatch<double>(features, targets, events, rows), analytic, workspace);

        var worst = 0.0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var original = parameters[i];
            parameters[i] = original + Step;
            var plus = model.LossAndGradient(parameters, new ModelBatch<double>(features, targets, events, rows), scratch, workspace);
            parameters[i] = original - Step;
            var minus = model.LossAndGradient(parameters, new ModelBatch<double>(features, targets, events, rows), scratch, workspace);
            parameters[i] = original;
            var numeric = (plus - minus) / (2 * Step);
            var error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), 1e-6);
            worst = Math.Max(worst, error);
        }

        return worst;
    }

    public static double[] Gaussian(Random random, int count, double scale = 1)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller.
            values[i] = scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return values;
    }
}
