namespace HospitalFed.Learning.Simulation;

/// <summary>
/// The server side of one simulated federated round (<see cref="FederatedSimulation.RunFederated"/>):
/// updates <paramref name="global"/> in place from the sites' locally trained models. What it may
/// look at is the simulation's choice; a faithful step reads only what its protection would reveal
/// (for plaintext FedAvg the sum of the sites' update vectors, <see cref="FederatedSimulation.StrategyRound"/>).
/// </summary>
/// <param name="round">The training round, 1-based (a plan's round <paramref name="round"/> + 1: plan round 1 pools statistics).</param>
/// <param name="global">The model the round started from; receives the next global model.</param>
/// <param name="locals">Each site's model after local training, in site order; not to be modified.</param>
/// <param name="sampleCounts">Each site's training rows, in site order.</param>
public delegate void SimulatedServerRound(int round, float[] global, IReadOnlyList<float[]> locals, IReadOnlyList<int> sampleCounts);
