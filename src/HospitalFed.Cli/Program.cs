using System.CommandLine;
using HospitalFed.Cli;

var root = new RootCommand("hfed: HospitalFed, federated learning for hospital consortia.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
