using System.CommandLine;

namespace HospitalFed.Cli;

/// <summary>The top-level <c>hfed</c> commands, one factory per command group.</summary>
internal static class CommandCatalog
{
    /// <summary>Creates every top-level command, in the order <c>hfed --help</c> lists them.</summary>
    public static IEnumerable<Command> All()
    {
        yield return Commands.FederationDemoCommand.Create();
        yield return Commands.TransportCommands.Create();
        yield return Commands.HealthCommand.Create();
        yield return Commands.SimulateCommand.Create();
        yield return Commands.SchemaCommands.Create();
        yield return Commands.PkiCommands.Create();
        yield return Commands.SiteCommands.Create();
        yield return Commands.AggregatorCommands.Create();
        yield return Commands.PlanCommands.Create();
        yield return Commands.ModelCommands.Create();
        yield return Commands.AuditCommands.Create();
        yield return Commands.DashboardCommands.Create();
    }
}
