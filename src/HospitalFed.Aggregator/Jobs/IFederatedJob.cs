namespace HospitalFed.Aggregator.Jobs;

/// <summary>
/// The aggregator's half of a federated learning job, as the orchestrator drives it: what each
/// round asks of the sites and what to do with the sum it gets back. The orchestrator never sees
/// a model type; the plan's <c>model</c> picks the job (<see cref="FederatedJobs.Create"/>).
/// </summary>
public interface IFederatedJob
{
    /// <summary>The plan's number of rounds.</summary>
    long Rounds { get; }

    /// <summary>The current global model, sent to the sites and stored after the plan.</summary>
    float[] GlobalModel { get; }

    /// <summary>Job state the sites need beside the model (summed feature statistics; empty before they are known).</summary>
    IReadOnlyList<double> FeatureStatistics { get; }

    /// <summary>SHA-256 (lower-case hex) of the global state: the content address logged as the round's model.</summary>
    string Digest();

    /// <summary>Describes round <paramref name="round"/>: its kind, starting state and the quantisation of the contributed vector.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The round is outside 1..<see cref="Rounds"/>.</exception>
    RoundSpec Describe(long round);

    /// <summary>Applies the decoded sum of round <paramref name="round"/>'s contributions.</summary>
    /// <returns>Pooled metrics the round revealed (names to values; empty if none).</returns>
    /// <exception cref="ArgumentException">The sum has the wrong length.</exception>
    IReadOnlyDictionary<string, double> Apply(long round, ReadOnlySpan<double> sum);

    /// <summary>
    /// Applies a training round of a plan with differential privacy: <paramref name="deltaSum"/> is
    /// the decoded, noised sum of <paramref name="contributors"/> sites' clipped unweighted model
    /// deltas (one value per model parameter), and the new model is the plan's server strategy over
    /// their mean (FedAvg: global + sum / k). Reveals no metrics.
    /// </summary>
    /// <exception cref="ArgumentException">The sum has the wrong length, the round is not a training round, or there are no contributors.</exception>
    void ApplyPrivate(long round, ReadOnlySpan<double> deltaSum, int contributors);
}
