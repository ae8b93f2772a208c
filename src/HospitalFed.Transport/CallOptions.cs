namespace HospitalFed.Transport;

/// <summary>Per-call settings of a client call.</summary>
/// <param name="Deadline">When the call must be over; sent as <c>grpc-timeout</c> and enforced locally too. <see langword="null"/>: none.</param>
/// <param name="Headers">Custom request metadata; <see langword="null"/>: none.</param>
/// <param name="CancellationToken">Cancels the call (the stream is reset; the call ends with CANCELLED).</param>
public readonly record struct CallOptions(DateTimeOffset? Deadline = null, Metadata? Headers = null, CancellationToken CancellationToken = default);
