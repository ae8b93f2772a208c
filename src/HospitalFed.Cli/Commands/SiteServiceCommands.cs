using System.CommandLine;
using HospitalFed.Cli.Hosting;
using HospitalFed.Cli.Logging;
using HospitalFed.Learning.Data;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.Preflight;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed site check</c> (preflight with a verdict per item) and <c>hfed site run</c> (the site service).</summary>
internal static class SiteServiceCommands
{
    private static Option<string> ConfigOption() => new("--config") { Description = "The site's configuration file (see config/site.json)", Required = true };

    public static Command Check()
    {
        var config = new Option<string?>("--config") { Description = "The site's configuration file (see config/site.json): run every check" };
        var schema = new Option<string?>("--schema") { Description = "Without --config: the extract schema, to check extracts alone (before the site is enrolled)" };
        var train = new Option<string?>("--train") { Description = "Without --config: the training extract to check against --schema" };
        var test = new Option<string?>("--test") { Description = "Without --config: the test extract to check against --schema (optional)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds the connectivity check may take", DefaultValueFactory = _ => 10 };
        var command = new Command("check", "Preflight: certificate, CA, key permissions, clock, consortium, policy, extract (every bad row) and connectivity, each with a verdict; exits 1 if any fails. With --schema and --train instead of --config: the extracts alone.") { config, schema, train, test, timeout };
        CliAction.Set(command, async (parse, output, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or > 600)
            {
                throw new CliException($"--timeout must be between 0 and 600 seconds (got {seconds}).", ExitCodes.Usage);
            }

            var configPath = parse.GetValue(config);
            var (schemaPath, trainPath, testPath) = (parse.GetValue(schema), parse.GetValue(train), parse.GetValue(test));
            if ((configPath is null) == (schemaPath is null || trainPath is null) || (configPath is not null && (schemaPath ?? trainPath ?? testPath) is not null))
            {
                throw new CliException("give --config FILE (every check), or --schema FILE and --train FILE [--test FILE] (the extracts alone)", ExitCodes.Usage);
            }

            var items = configPath is not null
                ? await SitePreflight.RunAsync(Load(configPath), TimeProvider.System, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false)
                : [SitePreflight.CheckExtracts(schemaPath!, trainPath!, testPath, cancellationToken)];
            foreach (var item in items)
            {
                output.WriteLine($"{Label(item.Verdict),-5} {item.Name,-12} {item.Detail}");
                foreach (var line in item.Lines)
                {
                    output.WriteLine($"{string.Empty,-18} {line}");
                }
            }

            var failed = items.Count(i => i.Verdict == Verdict.Fail);
            output.WriteLine(failed > 0 ? (configPath is null ? "not ready: fix what the extract item names" : $"not ready: {failed} item(s) failed")
                : configPath is null ? "the extracts are ready" : "ready: this site can take part");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public static Command Run()
    {
        var config = ConfigOption();
        var logFile = ServiceLogging.LogFileOption();
        var command = new Command("run", "Run the site service: connect outbound to the aggregator, vet, train and protect each round until the plan ends. Runs under systemd (Type=notify) or as a Windows service as well as in a console.") { config, logFile };
        CliAction.Set(command, async (parse, output, cancellationToken) =>
        {
            using var host = SiteServiceHost.Build(parse.GetValue(config)!, parse.GetValue(logFile), TimeProvider.System);
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ServiceLogging.FailureCategory);
            return await ServiceLogging.LogFailureAsync(log, () => RunSiteAsync(host, output, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunSiteAsync(IHost host, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            // Validates site.json (ValidateOnStart), then loads every file it names as the service is
            // created: any failure ends the start here, and systemd hears READY=1 only after.
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            // One line per bad setting, each naming site.json and the key.
            throw new CliException(ex.Message, ExitCodes.Usage);
        }
        catch (ExtractFormatException ex)
        {
            // The service's output ends up in journald: name the place, never the patient-level value.
            throw new CliException(ex.Error.ToRedactedString(), ExitCodes.Usage);
        }
        catch (SchemaException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Usage);
        }
        catch (InvalidDataException ex)
        {
            // A file site.json names is unusable, or the site's own state file is corrupted: the
            // message names the file; nothing is repaired.
            throw new CliException(ex.Message, ExitCodes.Failed);
        }

        var service = host.Services.GetRequiredService<SiteService>();
        // Ends when the service stops the application (the plan ended, or it failed) or the host is told to stop.
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        service.Failure?.Throw();
        if (!service.PlanEnded)
        {
            throw new CliException("the site service was stopped before the plan ended; its saved state lets the next start resume", ExitCodes.Cancelled);
        }

        var agent = service.Runtime.Agent;
        output.WriteLine(agent.PlanCompleted
            ? $"plan completed after round {agent.LastCompletedRound}; final model {agent.ModelDigest}"
            : $"plan ended without a final model: {agent.LastRefusal}");
        return agent.PlanCompleted ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static SiteConfig Load(string path)
    {
        try
        {
            return SiteConfig.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Usage);
        }
    }

    private static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Warn => "WARN",
        _ => "FAIL",
    };
}
