using System.CommandLine;
using HospitalFed.Cli.Logging;
using HospitalFed.Learning.Data;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.Hosting;
using HospitalFed.Site.Hosting.Windows;
using HospitalFed.Site.Preflight;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed site check</c> (preflight with a verdict per item) and <c>hfed site run</c> (the site service).</summary>
internal static class SiteServiceCommands
{
    private static Option<string> ConfigOption() => new("--config") { Description = "The site's configuration file (see config/site.json)", Required = true };

    public static Command Check()
    {
        var config = ConfigOption();
        var timeout = new Option<double>("--timeout") { Description = "Seconds the connectivity check may take", DefaultValueFactory = _ => 10 };
        var command = new Command("check", "Preflight: certificate, CA, key permissions, clock, consortium, policy, extract and connectivity, each with a verdict; exits 1 if any fails.") { config, timeout };
        CliAction.Set(command, async (parse, output, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or > 600)
            {
                throw new CliException($"--timeout must be between 0 and 600 seconds (got {seconds}).", ExitCodes.Usage);
            }

            var items = await SitePreflight.RunAsync(Load(parse.GetValue(config)!), TimeProvider.System, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                output.WriteLine($"{Label(item.Verdict),-5} {item.Name,-12} {item.Detail}");
                foreach (var line in item.Lines)
                {
                    output.WriteLine($"{string.Empty,-18} {line}");
                }
            }

            var failed = items.Count(i => i.Verdict == Verdict.Fail);
            output.WriteLine(failed == 0 ? "ready: this site can take part" : $"not ready: {failed} item(s) failed");
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
            using var logs = ServiceLogging.Create(parse.GetValue(logFile));
            var log = logs.CreateLogger(ServiceLogging.FailureCategory);
            return await WindowsServiceHost.RunAsync(token => ServiceLogging.LogFailureAsync(log, () => RunSiteAsync(Load(parse.GetValue(config)!), logs, output, token)), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunSiteAsync(SiteConfig settings, ILoggerFactory logs, TextWriter output, CancellationToken cancellationToken)
    {
        SiteRuntime runtime;
        try
        {
            runtime = SiteRuntime.Create(settings, logs);
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
            // The site's own state file is corrupted: the message names the file; nothing is repaired.
            throw new CliException(ex.Message, ExitCodes.Failed);
        }

        using (runtime)
        {
            await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
            var agent = runtime.Agent;
            output.WriteLine(agent.PlanCompleted
                ? $"plan completed after round {agent.LastCompletedRound}; final model {agent.ModelDigest}"
                : $"plan ended without a final model: {agent.LastRefusal}");
            return agent.PlanCompleted ? ExitCodes.Ok : ExitCodes.Failed;
        }
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
