using HospitalFed.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CliRunner.RunAsync(args, Console.Out, Console.Error, cancel.Token);
