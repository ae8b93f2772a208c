namespace HospitalFed.Transport;

/// <summary>The outcome of a call: a <see cref="StatusCode"/> and a human-readable detail.</summary>
/// <param name="Code">The status code.</param>
/// <param name="Detail">The detail sent as <c>grpc-message</c>; empty when there is none.</param>
public readonly record struct Status(StatusCode Code, string Detail)
{
    /// <summary>The successful status with no detail.</summary>
    public static Status Ok { get; } = new(StatusCode.OK, string.Empty);

    /// <inheritdoc />
    public override string ToString() =>
        Detail.Length == 0 ? $"Status(StatusCode=\"{Code}\")" : $"Status(StatusCode=\"{Code}\", Detail=\"{Detail}\")";
}
