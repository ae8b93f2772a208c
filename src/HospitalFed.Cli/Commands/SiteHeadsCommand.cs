using System.CommandLine;
using System.Text;
using HospitalFed.Ledger.Log;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.State;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed site heads export</c>: writes the tree heads this site countersigned during the run (kept
/// in its state directory) as the JSON Lines file <c>hfed audit verify --head</c> reads, one
/// standalone countersignature entry per line. An auditor holding it can tell a log that was cut
/// short or rewritten after the site signed.
/// </summary>
internal static class SiteHeadsCommand
{
    public static Command Create()
    {
        var heads = new Command("heads", "The tree heads this site countersigned.");
        heads.Subcommands.Add(Export());
        return heads;
    }

    private static Command Export()
    {
        var config = new Option<string>("--config") { Description = "The site's configuration file (see config/site.json); its state directory holds the heads", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the heads (JSON Lines, for audit verify --head); never overwritten", Required = true };
        var command = new Command("export", "Write the tree heads this site countersigned, for an auditor's 'hfed audit verify --head'.") { config, output };
        CliAction.Set(command, (parse, writer, cancellationToken) =>
        {
            var configPath = parse.GetValue(config)!;
            var state = LoadState(configPath);
            var target = parse.GetValue(output)!;
            CliFiles.WritePublic(target, FileBytes(state));
            var last = TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(state.Heads[^1]), out _));
            writer.WriteLine($"wrote {state.Heads.Count} countersigned tree heads of plan {state.PlanId[..16]} (the last covers {last.Size} entries) to {target}");
            if (state.HeadRefusal is { } refusal)
            {
                writer.WriteLine($"note: this site refused a later head: {refusal}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The heads file: one standalone countersignature entry per line, oldest first, '\n' after each.</summary>
    internal static byte[] FileBytes(SitePlanState state) => [.. state.Heads.SelectMany(l => Encoding.UTF8.GetBytes(l).Append((byte)'\n'))];

    /// <summary>The state of the site configured in <paramref name="configPath"/>, which must hold at least one head.</summary>
    /// <exception cref="CliException">No config, no state, a corrupted state or no head; the message names the file.</exception>
    internal static SitePlanState LoadState(string configPath)
    {
        if (!File.Exists(configPath))
        {
            throw new CliException($"{configPath}: no such site configuration file.");
        }

        SiteConfig settings;
        try
        {
            settings = SiteConfig.Load(configPath);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Usage);
        }

        var file = Path.Combine(settings.StateDirectory!, SiteStateStore.FileName);
        if (!File.Exists(file))
        {
            throw new CliException($"{file}: no site state: this site has not taken part in a plan (state directory of {configPath}).");
        }

        SitePlanState? state;
        try
        {
            state = new SiteStateStore(settings.StateDirectory!).Load();
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message);
        }

        return state is { Heads.Count: > 0 }
            ? state
            : throw new CliException($"{file}: this site countersigned no tree head of plan {state?.PlanId ?? "?"} (sites countersign at the end of each round).");
    }
}
