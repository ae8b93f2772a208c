using System.CommandLine;
using System.Globalization;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using Spectre.Console;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed audit</c>: offline verification of an exported round log, and its HTML report.</summary>
internal static class AuditCommands
{
    private static readonly Argument<string> LogFile = new("log") { Description = "The exported round log (JSON Lines)" };
    private static readonly Option<string> Root = new("--root") { Description = "The consortium root certificate: the only thing trusted", Required = true };
    private static readonly Option<string?> Crl = new("--crl") { Description = "The consortium CRL (the newest one); required unless --no-revocation-check" };
    private static readonly Option<bool> NoRevocationCheck = new("--no-revocation-check") { Description = "Verify without a CRL: a certificate revoked before it signed is NOT caught; the summary says so" };
    private static readonly Option<string[]> Heads = new("--head") { Description = "A file of tree heads held independently of the log, e.g. a site's countersignatures (repeatable); exposes truncation and forks" };

    public static Command Create()
    {
        var audit = new Command("audit", "Verify round logs offline, trusting only the consortium root.");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Report());
        audit.Subcommands.Add(AuditExportCommand.Create());
        audit.Subcommands.Add(SimulationCommand.Create());
        audit.Subcommands.Add(AuditBenchCommand.Create());
        return audit;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Check every signature, certificate, tree head and governance rule; exit 1 naming the first failure.") { LogFile, Root, Crl, NoRevocationCheck, Heads };
        CliAction.Set(command, (parse, output, _) =>
        {
            var (result, crlUsed) = Run(parse);
            Summary(output, result, crlUsed);
            if (result.Failure is { } failure)
            {
                throw new CliException($"verification FAILED at entry {failure.Index}: {failure.What}: {failure.Why}", ExitCodes.Failed);
            }

            output.WriteLine($"privacy: {result.Summary.PrivacyStatement}");
            output.WriteLine($"verified: {result.Summary.Entries} entries, root {result.Summary.Root}{(crlUsed ? string.Empty : " (revocation NOT checked)")}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Report()
    {
        var html = new Option<string>("--html") { Description = "Where to write the self-contained HTML report", Required = true };
        var command = new Command("report", "Verify the log and write an HTML report: verdict, rounds, metric charts, timeline.") { LogFile, Root, Crl, NoRevocationCheck, Heads, html };
        CliAction.Set(command, (parse, output, _) =>
        {
            var (result, crlUsed) = Run(parse);
            var path = parse.GetValue(html)!;
            CliFiles.WritePublic(path, HtmlReport.Render(result, Path.GetFileName(parse.GetValue(LogFile)!)), replace: true);
            output.WriteLine($"wrote {path} ({(result.Ok ? "log verified" : $"log FAILED at entry {result.Failure!.Index}")}{(crlUsed ? string.Empty : ", revocation NOT checked")})");
            return Task.FromResult(result.Ok ? ExitCodes.Ok : ExitCodes.Failed);
        });
        return command;
    }

    private static (AuditResult Result, bool CrlUsed) Run(ParseResult parse)
    {
        // Revocation is what stops a stolen key: skipping its check must be a visible choice, not a forgotten option.
        var crlPath = parse.GetValue(Crl);
        var skipRevocation = parse.GetValue(NoRevocationCheck);
        if (crlPath is not null && skipRevocation)
        {
            throw new CliException("--crl and --no-revocation-check exclude each other");
        }

        if (crlPath is null && !skipRevocation)
        {
            throw new CliException("revocation cannot be checked without the consortium CRL: pass --crl FILE, or --no-revocation-check to verify without it");
        }

        using var root = PkiCommands.ReadCertificate(parse.GetValue(Root)!);
        IRevocationSource revocation = crlPath is null
            ? RevokedSerials.None
            : CrlRevocationSource.FromPem(CliFiles.ReadText(crlPath, "CRL"), root);
        var logPath = parse.GetValue(LogFile)!;
        IReadOnlyList<byte[]> lines;
        try
        {
            lines = LogVerifier.SplitLines(CliFiles.ReadBytes(logPath, "log"));
        }
        catch (FormatException ex)
        {
            throw new CliException($"verification FAILED: {logPath}: {ex.Message}", ExitCodes.Failed);
        }

        var held = new List<LogEntry>();
        foreach (var headPath in parse.GetValue(Heads) ?? [])
        {
            try
            {
                held.AddRange(LogVerifier.SplitLines(CliFiles.ReadBytes(headPath, "head file")).Select(l => LogLine.Decode(l, out _)));
            }
            catch (FormatException ex)
            {
                throw new CliException($"'{headPath}' is not a file of signed tree heads: {ex.Message}");
            }
        }

        var result = new LogVerifier(root, revocation).Verify(lines, held);
        result.Summary.RevocationNotChecked = crlPath is null;
        return (result, crlPath is not null);
    }

    private static void Summary(TextWriter output, AuditResult result, bool crlUsed)
    {
        var s = result.Summary;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        var table = new Table().Border(TableBorder.Ascii).AddColumn("check").AddColumn("result");
        table.AddRow("entries", s.Entries.ToString(CultureInfo.InvariantCulture));
        table.AddRow("plan", Markup.Escape(s.PlanId ?? "?"));
        table.AddRow("consortium", Markup.Escape($"{s.Consortium ?? "?"}: {s.ApprovalThreshold} of {s.Admins.Count} admins"));
        table.AddRow("plan approved by", Markup.Escape(string.Join(", ", s.PlanApprovers)));
        table.AddRow("sites accepted / refused", $"{s.SitesAccepted.Count} / {s.SitesRefused.Count}");
        table.AddRow("rounds completed", $"{s.Rounds.Count(r => r.Complete)} of {s.PlannedRounds} (each at least {s.MinSites} sites)");
        table.AddRow("rounds aborted", Markup.Escape(string.Join(", ", s.Rounds.Where(r => r.AbortReason is not null).Select(r => $"{r.Round} ({r.AbortReason})")) is { Length: > 0 } aborted ? aborted : "none"));
        table.AddRow("differential privacy", Markup.Escape(s.Privacy is null ? "none" : $"{s.PrivacyStatement}; {PrivacyDescription.Mechanism(s.Privacy)}"));
        table.AddRow("signed tree heads", $"{s.TreeHeads} ({s.Countersignatures} countersignatures)");
        table.AddRow("last signed head", s.LastHeadSize == 0 ? "none" : Markup.Escape($"size {s.LastHeadSize}, countersigned by {string.Join(", ", s.LastHeadWitnesses)}"));
        table.AddRow("entries after last head", (s.Entries - s.LastHeadSize - (s.LastHeadSize > 0 ? 1 : 0)).ToString(CultureInfo.InvariantCulture));
        table.AddRow("held heads checked", s.HeldHeadsChecked == 0 ? "none (truncation after the last head cannot be detected)" : s.HeldHeadsChecked.ToString(CultureInfo.InvariantCulture));
        table.AddRow("revocation", crlUsed ? "checked against the CRL" : "NOT checked (--no-revocation-check)");
        table.AddRow("verdict", result.Ok ? "OK" : Markup.Escape($"FAILED at entry {result.Failure!.Index}"));
        console.Write(table);
    }
}
