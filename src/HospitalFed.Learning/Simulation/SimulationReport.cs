namespace HospitalFed.Learning.Simulation;

/// <summary>All methods' results for one simulation run.</summary>
/// <param name="Centres">Centre names, in the order of <see cref="MethodResult.CentreAccuracy"/>.</param>
/// <param name="TestRows">Test rows per centre.</param>
/// <param name="Results">One result per method.</param>
public sealed record SimulationReport(IReadOnlyList<string> Centres, IReadOnlyList<int> TestRows, IReadOnlyList<MethodResult> Results)
{
    /// <summary>The result of the named method.</summary>
    /// <exception cref="KeyNotFoundException">No such method.</exception>
    public MethodResult this[string method] =>
        Results.FirstOrDefault(r => r.Method == method) ?? throw new KeyNotFoundException($"No result for method '{method}'.");
}
