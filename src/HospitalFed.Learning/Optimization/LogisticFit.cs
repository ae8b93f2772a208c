namespace HospitalFed.Learning.Optimization;

/// <summary>The outcome of <see cref="FullBatchLogisticSolver.Fit"/>.</summary>
/// <param name="Parameters">The fitted parameters in <see cref="Models.LogisticRegression{T}"/>'s layout: the weights, then the bias.</param>
/// <param name="Loss">The mean log loss at <paramref name="Parameters"/>, plus the L2 term if any.</param>
/// <param name="GradientNorm">The largest absolute coordinate of the gradient at <paramref name="Parameters"/>.</param>
/// <param name="Iterations">L-BFGS iterations taken.</param>
/// <param name="Converged">Whether <paramref name="GradientNorm"/> reached the requested tolerance.</param>
public sealed record LogisticFit(double[] Parameters, double Loss, double GradientNorm, int Iterations, bool Converged);
