namespace HospitalFed.Learning.Simulation;

/// <summary>One method's figures, each the mean over the seeds.</summary>
/// <param name="Method">Display name, e.g. "FedAvg" or "Local (cleveland)".</param>
/// <param name="PooledAccuracy">Accuracy on all test rows of all centres (254 for Fed-Heart-Disease).</param>
/// <param name="PooledAuc">AUC-ROC on the pooled test rows.</param>
/// <param name="CentreAccuracy">Accuracy on each centre's test rows, in centre order.</param>
/// <param name="CentreAuc">AUC-ROC on each centre's test rows, in centre order (NaN for a centre whose test rows hold one class only).</param>
/// <param name="SeedAccuracies">Pooled accuracy of each seed.</param>
public sealed record MethodResult(
    string Method,
    double PooledAccuracy,
    double PooledAuc,
    IReadOnlyList<double> CentreAccuracy,
    IReadOnlyList<double> CentreAuc,
    IReadOnlyList<double> SeedAccuracies)
{
    /// <summary>Pooled AUC-ROC of each seed, in the order of <see cref="SeedAccuracies"/> (empty when not recorded).</summary>
    public IReadOnlyList<double> SeedAucs { get; init; } = [];

    /// <summary>Unweighted mean of the per-centre accuracies (FLamby's second column).</summary>
    public double MeanCentreAccuracy => CentreAccuracy.Average();

    /// <summary>Whether the method is federated (not pooled, not local-only).</summary>
    public bool IsFederated => Method.StartsWith("Fed", StringComparison.Ordinal);
}
