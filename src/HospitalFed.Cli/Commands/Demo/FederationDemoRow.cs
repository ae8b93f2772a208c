namespace HospitalFed.Cli.Commands.Demo;

/// <summary>One line of the demo's final table.</summary>
/// <param name="Method">Federated, Pooled or Local (site).</param>
/// <param name="PooledAccuracy">Accuracy on every hospital's test rows.</param>
/// <param name="PooledAuc">AUC-ROC on every hospital's test rows.</param>
/// <param name="SiteAccuracy">Accuracy on each hospital's test rows.</param>
/// <param name="SiteAuc">AUC-ROC on each hospital's test rows (NaN where they hold one class only); none for the secure-sums row, which has no per-site figures.</param>
internal sealed record FederationDemoRow(string Method, double PooledAccuracy, double PooledAuc, IReadOnlyList<double> SiteAccuracy, IReadOnlyList<double>? SiteAuc);
