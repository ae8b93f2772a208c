using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Optimization;

/// <summary>
/// Fits the project's <see cref="LogisticRegression{T}"/> to convergence on a whole dataset: the
/// model's own loss and gradient in double precision over every row at once, minimised with
/// L-BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithm 7.4, memory 10) and a
/// backtracking Armijo line search. The log loss is convex, so this reaches the pooled
/// maximum-likelihood fit that minibatch SGD only approaches; it is the reference a federated
/// run is compared with (the test project cross-checks it against Newton's method).
/// </summary>
public static class FullBatchLogisticSolver
{
    private const int Memory = 10;
    private const double Armijo = 1e-4;

    // The loss is a mean of thousands of terms, so two evaluations at points closer than about
    // 1e-7 differ only by rounding: near the optimum the Armijo test cannot tell a good unit step
    // from a bad one. Allowing this relative slack lets the gradient, which stays accurate, decide.
    private const double RoundingSlack = 1e-14;

    /// <summary>Minimises the mean log loss (plus <paramref name="l2"/>/2 ||w||^2 over every parameter, as <see cref="LocalTrainer"/> does).</summary>
    /// <param name="data">The rows; 0/1 targets.</param>
    /// <param name="l2">L2 penalty lambda; default 0 (maximum likelihood).</param>
    /// <param name="gradientTolerance">Stop when every gradient coordinate is at most this in absolute value; default 1e-9.</param>
    /// <param name="maxIterations">Stop after this many iterations, converged or not; default 1000.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no rows.</exception>
    public static LogisticFit Fit(Dataset data, double l2 = 0, double gradientTolerance = 1e-9, int maxIterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gradientTolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        if (data.Rows == 0)
        {
            throw new ArgumentException("Cannot fit a logistic regression to no rows.", nameof(data));
        }

        var model = new LogisticRegression<double>(data.FeatureCount);
        var features = Array.ConvertAll(data.Features, v => (double)v);
        var targets = Array.ConvertAll(data.Targets, v => (double)v);
        var workspace = model.CreateWorkspace(data.Rows);
        double Evaluate(double[] w, double[] g)
        {
            var loss = model.LossAndGradient(w, new ModelBatch<double>(features, targets, default, data.Rows), g, workspace);
            if (l2 > 0)
            {
                for (var i = 0; i < w.Length; i++)
                {
                    g[i] += l2 * w[i];
                    loss += 0.5 * l2 * w[i] * w[i];
                }
            }

            return loss;
        }

        var n = model.Layout.Count;
        var w = new double[n];
        var g = new double[n];
        var f = Evaluate(w, g);
        var s = new double[Memory][];
        var y = new double[Memory][];
        var rho = new double[Memory];
        var alpha = new double[Memory];
        var stored = 0;
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        var iteration = 0;
        while (MaxAbs(g) > gradientTolerance && iteration < maxIterations)
        {
            TwoLoop(g, s, y, rho, alpha, stored, iteration, direction);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                stored = 0;
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = Dot(g, direction);
            }

            var step = stored == 0 ? Math.Min(1, 1 / Math.Sqrt(Dot(g, g))) : 1;
            double trialLoss;
            var halvings = 0;
            while (true)
            {
                for (var i = 0; i < n; i++)
                {
                    trial[i] = w[i] + (step * direction[i]);
                }

                trialLoss = Evaluate(trial, trialGradient);
                if (trialLoss <= f + (Armijo * step * slope) + (RoundingSlack * Math.Abs(f)) || ++halvings > 60)
                {
                    break;
                }

                step /= 2;
            }

            if (halvings > 60)
            {
                break; // no step along the direction lowers the loss: as close as double precision gets
            }

            var slot = iteration % Memory;
            s[slot] ??= new double[n];
            y[slot] ??= new double[n];
            for (var i = 0; i < n; i++)
            {
                s[slot][i] = trial[i] - w[i];
                y[slot][i] = trialGradient[i] - g[i];
            }

            var curvature = Dot(s[slot], y[slot]);
            rho[slot] = curvature > 0 ? 1 / curvature : 0;
            stored = curvature > 0 ? Math.Min(stored + 1, Memory) : 0;
            (w, trial) = (trial, w);
            (g, trialGradient) = (trialGradient, g);
            f = trialLoss;
            iteration++;
        }

        var norm = MaxAbs(g);
        return new LogisticFit(w, f, norm, iteration, norm <= gradientTolerance);
    }

    /// <summary>direction = -H g, H the L-BFGS inverse-Hessian estimate from the last <paramref name="stored"/> pairs.</summary>
    private static void TwoLoop(double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored, int iteration, double[] direction)
    {
        for (var i = 0; i < g.Length; i++)
        {
            direction[i] = -g[i];
        }

        var newest = (iteration - 1 + Memory) % Memory;
        for (var k = 0; k < stored; k++)
        {
            var j = (newest - k + Memory) % Memory;
            alpha[j] = rho[j] * Dot(s[j], direction);
            Axpy(-alpha[j], y[j], direction);
        }

        if (stored > 0)
        {
            // Initial Hessian gamma I with gamma = s'y / y'y (Nocedal and Wright, eq. 7.20).
            var gamma = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
            for (var i = 0; i < direction.Length; i++)
            {
                direction[i] *= gamma;
            }
        }

        for (var k = stored - 1; k >= 0; k--)
        {
            var j = (newest - k + Memory) % Memory;
            var beta = rho[j] * Dot(y[j], direction);
            Axpy(alpha[j] - beta, s[j], direction);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double scale, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += scale * x[i];
        }
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);
}
