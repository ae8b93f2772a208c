using System.CommandLine;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed transport</c>: the wire-level tools (the transport demo node).</summary>
internal static class TransportCommands
{
    public static Command Create() => new("transport", "Transport layer: a demo node exercising gRPC over HTTP/2 with mutual TLS.") { DemoCommand.Create() };
}
