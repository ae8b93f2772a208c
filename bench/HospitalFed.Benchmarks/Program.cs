using BenchmarkDotNet.Running;
using HospitalFed.Benchmarks.Federation;
using HospitalFed.Benchmarks.LongPlan;
using HospitalFed.Benchmarks.Synthetic;

// "federation" is the end-to-end round benchmark (whole plans over loopback, see
// docs/performance.md "End to end"), "long-plan" its 1,000-round variant (see "Long plans") and
// "synthetic" the learning bar through the same services (docs/learning.md "Synthetic benchmark");
// every other argument list goes to BenchmarkDotNet, where every benchmark class in this
// assembly is selectable with --filter.
if (args.Length > 0 && args[0] is "federation" or "long-plan" or "synthetic")
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return args[0] switch
    {
        "federation" => await FederationBenchCommand.RunAsync(args[1..], cancel.Token),
        "long-plan" => await LongPlanCommand.RunAsync(args[1..], cancel.Token),
        _ => await SyntheticBenchCommand.RunAsync(args[1..], cancel.Token),
    };
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
