using BenchmarkDotNet.Running;
using HospitalFed.Benchmarks.Federation;
using HospitalFed.Benchmarks.LongPlan;

// "federation" is the end-to-end round benchmark (whole plans over loopback, see
// docs/performance.md "End to end") and "long-plan" its 1,000-round variant (see "Long plans");
// every other argument list goes to BenchmarkDotNet, where every benchmark class in this
// assembly is selectable with --filter.
if (args.Length > 0 && args[0] is "federation" or "long-plan")
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return args[0] == "federation"
        ? await FederationBenchCommand.RunAsync(args[1..], cancel.Token)
        : await LongPlanCommand.RunAsync(args[1..], cancel.Token);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
