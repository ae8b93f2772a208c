namespace HospitalFed.Cli.Commands.Demo;

/// <summary>One line of the demo's summary.</summary>
/// <param name="Name">What was called.</param>
/// <param name="Kind">The gRPC call kind.</param>
/// <param name="Result">What came back.</param>
/// <param name="Elapsed">How long it took.</param>
internal sealed record DemoStep(string Name, string Kind, string Result, TimeSpan Elapsed);
