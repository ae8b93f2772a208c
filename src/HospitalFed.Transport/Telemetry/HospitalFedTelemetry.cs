using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HospitalFed.Transport.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> and <see cref="ActivitySource"/> of HospitalFed nodes (both named
/// <see cref="Name"/>) and their instruments. Instruments cost nothing while no listener is
/// attached (telemetry off). Tags carry plan ids, round numbers, phase names, RPC method names
/// and status codes: never key material, never a patient-level value.
/// </summary>
public static class HospitalFedTelemetry
{
    /// <summary>The meter and activity source name: <c>HospitalFed</c>.</summary>
    public const string Name = "HospitalFed";

    /// <summary>The activity source: one <c>hfed.round</c> span per round with a <c>hfed.phase</c> child per phase, and one <c>hfed.grpc</c> span per call served.</summary>
    public static ActivitySource Source { get; } = new(Name, NodeHeaders.SoftwareVersion);

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(Name, NodeHeaders.SoftwareVersion);

    /// <summary><c>hfed.rounds</c>: rounds that ended, tagged <c>hfed.plan</c> and <c>hfed.outcome</c> (completed, aborted).</summary>
    public static Counter<long> Rounds { get; } = Meter.CreateCounter<long>("hfed.rounds", "{round}", "Rounds that ended, by outcome");

    /// <summary><c>hfed.round.duration</c>: seconds from a round's first phase to its end, tagged <c>hfed.plan</c> and <c>hfed.outcome</c>.</summary>
    public static Histogram<double> RoundDuration { get; } = Meter.CreateHistogram<double>("hfed.round.duration", "s", "Round duration");

    /// <summary><c>hfed.phase.duration</c>: seconds a protocol phase lasted, tagged <c>hfed.plan</c> and <c>hfed.phase</c>.</summary>
    public static Histogram<double> PhaseDuration { get; } = Meter.CreateHistogram<double>("hfed.phase.duration", "s", "Protocol phase duration");

    /// <summary><c>hfed.bytes</c>: protocol bytes moved, tagged <c>hfed.direction</c> (received, sent) and <c>hfed.kind</c> (upload, task).</summary>
    public static Counter<long> Bytes { get; } = Meter.CreateCounter<long>("hfed.bytes", "By", "Protocol bytes received and sent");

    /// <summary><c>hfed.dropouts</c>: invited sites that did not contribute to a completed round, tagged <c>hfed.plan</c>.</summary>
    public static Counter<long> Dropouts { get; } = Meter.CreateCounter<long>("hfed.dropouts", "{site}", "Sites that dropped out of a round");

    /// <summary><c>hfed.grpc.calls</c>: gRPC calls served, tagged <c>rpc.method</c> and <c>rpc.grpc.status_code</c>.</summary>
    public static Counter<long> GrpcCalls { get; } = Meter.CreateCounter<long>("hfed.grpc.calls", "{call}", "gRPC calls served");

    /// <summary><c>hfed.grpc.duration</c>: seconds a served gRPC call took (a task stream lasts its connection), tagged as <see cref="GrpcCalls"/>.</summary>
    public static Histogram<double> GrpcDuration { get; } = Meter.CreateHistogram<double>("hfed.grpc.duration", "s", "gRPC call duration");

    /// <summary>The tag keys.</summary>
    public static class Tags
    {
        /// <summary>The plan id.</summary>
        public const string Plan = "hfed.plan";

        /// <summary>The round number.</summary>
        public const string Round = "hfed.round";

        /// <summary>The phase name.</summary>
        public const string Phase = "hfed.phase";

        /// <summary>How a round ended.</summary>
        public const string Outcome = "hfed.outcome";

        /// <summary>received or sent.</summary>
        public const string Direction = "hfed.direction";

        /// <summary>What the bytes were.</summary>
        public const string Kind = "hfed.kind";

        /// <summary>The full gRPC method (OpenTelemetry semantic convention).</summary>
        public const string Method = "rpc.method";

        /// <summary>The gRPC status code (OpenTelemetry semantic convention).</summary>
        public const string StatusCode = "rpc.grpc.status_code";
    }
}
