namespace HospitalFed.Learning.Tests.Optimization;

/// <summary>
/// The independent reference for <see cref="HospitalFed.Learning.Optimization.FullBatchLogisticSolver"/>:
/// Newton's method (iteratively reweighted least squares) for the mean log loss plus lambda/2 ||w||^2,
/// written from the textbook (Hastie, Tibshirani and Friedman, ESL 2nd ed., section 4.4.1) in
/// double precision with its own loss, gradient, Hessian and Cholesky solve; it shares no code with
/// the project's models. Quadratic convergence takes it to the optimum to rounding error in a few steps.
/// </summary>
internal static class NewtonLogisticReference
{
    /// <summary>Fits on row-major <paramref name="x"/> (rows x d) with 0/1 <paramref name="y"/>; returns d weights then the bias, and the loss.</summary>
    public static (double[] Parameters, double Loss) Fit(float[] x, float[] y, int d, double l2 = 0)
    {
        var n = y.Length;
        var p = d + 1;
        var beta = new double[p];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[p];
            var hessian = new double[p, p];
            var row = new double[p];
            for (var r = 0; r < n; r++)
            {
                for (var j = 0; j < d; j++)
                {
                    row[j] = x[(r * d) + j];
                }

                row[d] = 1;
                var z = 0.0;
                for (var j = 0; j < p; j++)
                {
                    z += beta[j] * row[j];
                }

                var mu = 1 / (1 + Math.Exp(-z));
                var weight = mu * (1 - mu);
                for (var j = 0; j < p; j++)
                {
                    gradient[j] += (mu - y[r]) * row[j] / n;
                    for (var k = 0; k <= j; k++)
                    {
                        hessian[j, k] += weight * row[j] * row[k] / n;
                    }
                }
            }

            for (var j = 0; j < p; j++)
            {
                gradient[j] += l2 * beta[j];
                hessian[j, j] += l2;
            }

            var step = CholeskySolve(hessian, gradient);
            var size = 0.0;
            for (var j = 0; j < p; j++)
            {
                beta[j] -= step[j];
                size = Math.Max(size, Math.Abs(step[j]));
            }

            if (size < 1e-13)
            {
                break;
            }
        }

        return (beta, Loss(x, y, d, beta, l2));
    }

    /// <summary>Mean log loss plus lambda/2 ||beta||^2, summed in a stable form.</summary>
    public static double Loss(float[] x, float[] y, int d, double[] beta, double l2 = 0)
    {
        var n = y.Length;
        var loss = 0.0;
        for (var r = 0; r < n; r++)
        {
            var z = beta[d];
            for (var j = 0; j < d; j++)
            {
                z += beta[j] * x[(r * d) + j];
            }

            loss += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - (y[r] * z);
        }

        return (loss / n) + (0.5 * l2 * beta.Sum(b => b * b));
    }

    /// <summary>Solves H s = g for symmetric positive-definite H given by its lower triangle.</summary>
    private static double[] CholeskySolve(double[,] h, double[] g)
    {
        var p = g.Length;
        var l = new double[p, p];
        for (var j = 0; j < p; j++)
        {
            var diagonal = h[j, j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= l[j, k] * l[j, k];
            }

            l[j, j] = Math.Sqrt(diagonal);
            for (var i = j + 1; i < p; i++)
            {
                var value = h[i, j];
                for (var k = 0; k < j; k++)
                {
                    value -= l[i, k] * l[j, k];
                }

                l[i, j] = value / l[j, j];
            }
        }

        var z = new double[p];
        for (var i = 0; i < p; i++)
        {
            var value = g[i];
            for (var k = 0; k < i; k++)
            {
                value -= l[i, k] * z[k];
            }

            z[i] = value / l[i, i];
        }

        var s = new double[p];
        for (var i = p - 1; i >= 0; i--)
        {
            var value = z[i];
            for (var k = i + 1; k < p; k++)
            {
                value -= l[k, i] * s[k];
            }

            s[i] = value / l[i, i];
        }

        return s;
    }
}
