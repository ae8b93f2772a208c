namespace HospitalFed.Transport.Federation;

/// <summary>
/// Message sizes of the Federation service. A task (round invitation, round result) carries the
/// whole float32 global model in one message, so the aggregator's send limit and a site's receive
/// limit grow with the model instead of gRPC's 4 MiB default, which a 1M-parameter model exceeds.
/// </summary>
public static class FederationLimits
{
    /// <summary>The largest model a task may carry, in float32 parameters: 2^25 (128 MiB).</summary>
    public const int MaxModelParameters = 1 << 25;

    /// <summary>Room in a task for everything beside the model (plan, approvals, statistics, participants): 4 MiB.</summary>
    public const int TaskOverheadBytes = 4 << 20;

    /// <summary>The largest task a site accepts: a model of <see cref="MaxModelParameters"/> plus the overhead.</summary>
    public const int MaxTaskMessageBytes = (MaxModelParameters * sizeof(float)) + TaskOverheadBytes;

    /// <summary>The largest task carrying a model of <paramref name="parameters"/> float32 parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="MaxModelParameters"/>.</exception>
    public static int TaskMessageBytes(int parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parameters, MaxModelParameters);
        return (parameters * sizeof(float)) + TaskOverheadBytes;
    }
}
