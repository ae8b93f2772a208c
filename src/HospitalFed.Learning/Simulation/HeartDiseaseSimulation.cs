namespace HospitalFed.Learning.Simulation;

/// <summary>
/// In-process simulation of the FLamby Fed-Heart-Disease benchmark: <see cref="FederatedSimulation"/>
/// on the centres of <see cref="FedHeartDisease.Load"/>.
/// </summary>
public static class HeartDiseaseSimulation
{
    /// <summary>Runs every method for every seed.</summary>
    /// <param name="centres">The centres (see <see cref="FedHeartDisease.Load"/>).</param>
    /// <param name="settings">Hyperparameters; the defaults are the documented ones.</param>
    /// <param name="progress">Optional progress messages (method names).</param>
    public static SimulationReport Run(IReadOnlyList<CentreData> centres, SimulationSettings settings, IProgress<string>? progress = null) =>
        FederatedSimulation.Run(centres, settings, progress);
}
