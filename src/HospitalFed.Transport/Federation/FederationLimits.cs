namespace HospitalFed.Transport.Federation;

/// <summary>
/// Message sizes of the Federation service. A task (round invitation, round result) carries the
/// whole float32 global model in one message, and a CKKS round moves the encrypted aggregate to
/// the sites and their decryption shares back, each one message of up to about 7.2 bytes per value
/// at the default preset (docs/ckks.md). The limits therefore grow with the model, at
/// <see cref="BytesPerValue"/> bytes per parameter, instead of gRPC's 4 MiB default, which a
/// 1M-parameter model exceeds.
/// </summary>
public static class FederationLimits
{
    /// <summary>The largest model a task may carry, in float32 parameters: 2^25.</summary>
    public const int MaxModelParameters = 1 << 25;

    /// <summary>Bytes per parameter a round message may need: 4 for a float32 model, at most 8 for CKKS ciphertexts and shares.</summary>
    public const int BytesPerValue = 8;

    /// <summary>Room in a message for everything beside the values (plan, approvals, statistics, participants, signatures): 4 MiB.</summary>
    public const int TaskOverheadBytes = 4 << 20;

    /// <summary>The largest message a site accepts or sends: <see cref="MaxModelParameters"/> values plus the overhead.</summary>
    public const int MaxTaskMessageBytes = (MaxModelParameters * BytesPerValue) + TaskOverheadBytes;

    /// <summary>The largest round message (task, CKKS aggregate or decryption shares) for a model of <paramref name="parameters"/> parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="MaxModelParameters"/>.</exception>
    public static int TaskMessageBytes(int parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parameters, MaxModelParameters);
        return (parameters * BytesPerValue) + TaskOverheadBytes;
    }
}
