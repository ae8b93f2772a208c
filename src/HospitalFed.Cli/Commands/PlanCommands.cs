using System.Globalization;
using System.CommandLine;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed plan</c>: canonical plans, their ids, admin approvals and the m-of-n status.</summary>
internal static class PlanCommands
{
    private static readonly Argument<string> PlanFile = new("plan") { Description = "The plan (JSON)" };

    public static Command Create()
    {
        var plan = new Command("plan", "Training plans: propose, show, approve, and check m-of-n approval status.");
        plan.Subcommands.Add(Propose());
        plan.Subcommands.Add(Show());
        plan.Subcommands.Add(Approve());
        plan.Subcommands.Add(Status());
        return plan;
    }

    private static TrainingPlan Read(ParseResult parse) =>
        TrainingPlan.Parse(CliFiles.ReadBytes(parse.GetValue(PlanFile)!, "plan"));

    private static Command Propose()
    {
        var output = new Option<string>("--out") { Description = "Where to write the canonical plan", Required = true };
        var command = new Command("propose", "Validate a plan, write its canonical form and print its id (SHA-256 of the canonical bytes).") { PlanFile, output };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var plan = Read(parse);
            if (plan.Privacy is not null && plan.Protection != HospitalFed.Ledger.Plans.Protection.Pairwise)
            {
                // The sites add their noise shares before pairwise masking only; under CKKS they decline the plan.
                throw new CliException($"plan field 'privacy' needs \"protection\": \"pairwise\" in this release; under {plan.Protection.ToString().ToLowerInvariant()} the sites add no noise share and decline the plan (docs/privacy.md)");
            }

            CliFiles.WritePublic(parse.GetValue(output)!, plan.CanonicalBytes);
            if (plan.Protection == HospitalFed.Ledger.Plans.Protection.None)
            {
                // stderr, so scripts reading the id from stdout keep working while a human sees it
                parse.InvocationConfiguration.Error.WriteLine("hfed: warning: this plan is UNPROTECTED (protection \"none\"): the aggregator sees every site's raw update; sites refuse it unless their policy sets allowUnprotected.");
            }

            // stderr too: the id alone on stdout is what scripts read
            WritePrivacy(parse.InvocationConfiguration.Error, plan);
            stdout.WriteLine(plan.Id);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Print a plan's id and the fields governance reads from it.") { PlanFile };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var plan = Read(parse);
            stdout.WriteLine($"id:                 {plan.Id}");
            var t = plan.Training;
            var local = t.Local;
            stdout.WriteLine($"model:              {plan.ModelKind}{(t.Model.HiddenLayers.Count > 0 ? $", hidden layers {string.Join("-", t.Model.HiddenLayers)}" : "")}");
            stdout.WriteLine($"features:           {string.Join(", ", plan.Features)}");
            stdout.WriteLine($"rounds:             {plan.Rounds}");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"local training:     {local.Optimizer.ToString().ToLowerInvariant()}, learning rate {local.LearningRate}, batch {local.BatchSize}, {(local.LocalSteps is { } steps ? $"{steps} steps" : $"{local.Epochs} epoch(s)")}, l2 {local.L2}, momentum {local.Momentum}, seeds {t.Seeds.ToString().ToLowerInvariant()}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"local schedule:     {(local.Schedule == HospitalFed.Learning.Optimization.LearningRateSchedule.Cosine ? $"cosine to {local.FinalLearningRateFraction}x over the rounds" : "constant")}, {(local.ValidationFraction > 0 ? $"early stopping on {local.ValidationFraction} of the rows (patience {local.Patience})" : "no early stopping")}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"strategy:           {t.Strategy.Kind.ToString().ToLowerInvariant()}, server learning rate {t.Strategy.ServerLearningRate}{(local.ProximalMu > 0 ? $", proximal mu {local.ProximalMu}" : "")}"));
            stdout.WriteLine($"protection:         {(plan.Protection == HospitalFed.Ledger.Plans.Protection.None ? "none (UNPROTECTED: the aggregator sees raw updates)" : plan.Protection.ToString().ToLowerInvariant())}");
            stdout.WriteLine($"minimum sites:      {plan.MinSites}");
            stdout.WriteLine($"per-round approval: {(plan.PerRoundApproval ? "yes" : "no")}");
            WritePrivacy(stdout, plan);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Approve()
    {
        var round = new Option<long>("--round") { Description = "Approve one round (per-round approval); 0 approves the plan", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Where to write the signed approval (one JSON line)", Required = true };
        var command = new Command("approve", "Sign an approval of the plan's id (or of one round) with your admin certificate.") { PlanFile, PartyKeys.Cert, PartyKeys.Key, PartyKeys.KeyPassphraseFile, round, output };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var plan = Read(parse);
            var r = parse.GetValue(round);
            if (r < 0 || r > plan.Rounds || (r > 0 && !plan.PerRoundApproval))
            {
                throw new CliException(plan.PerRoundApproval ? $"--round must be from 0 to {plan.Rounds}" : "this plan has no per-round approval: approve it with --round 0");
            }

            using var admin = PartyKeys.Load(parse);
            if (!ConsortiumRoleExtension.TryRead(admin.Certificate, out var role) || role != ConsortiumRole.Admin)
            {
                throw new CliException($"'{admin.Name}' does not hold an admin certificate");
            }

            WritePrivacy(stdout, plan); // what the signature approves, in front of the admin
            var approval = LogEntry.Sign(admin, plan.Id, LogEntries.Approval(r), TimeProvider.System.GetUtcNow());
            CliFiles.WritePublic(parse.GetValue(output)!, [.. LogLine.Encode(approval, null), (byte)'\n']);
            stdout.WriteLine($"'{admin.Name}' approved {(r == 0 ? "plan" : $"round {r} of plan")} {plan.Id}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Status()
    {
        var config = new Option<string>("--config") { Description = "The CA-signed consortium config", Required = true };
        var root = new Option<string>("--root") { Description = "The consortium root certificate", Required = true };
        var crl = new Option<string?>("--crl") { Description = "The consortium CRL (strongly recommended)" };
        var round = new Option<long>("--round") { Description = "Round whose approvals to count; 0 for the plan", DefaultValueFactory = _ => 0 };
        var approvals = new Argument<string[]>("approvals") { Description = "Approval files from 'hfed plan approve'", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("status", "Count valid approvals from distinct admins against the consortium's m-of-n rule; exits 1 while short.") { PlanFile, config, root, crl, round, approvals };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var plan = Read(parse);
            using var rootCertificate = PkiCommands.ReadCertificate(parse.GetValue(root)!);
            var consortium = ConsortiumConfig.FromSignedJson(CanonicalJson.Parse(CliFiles.ReadBytes(parse.GetValue(config)!, "consortium config")), rootCertificate);
            IRevocationSource revocation = RevokedSerials.None;
            if (parse.GetValue(crl) is { } crlPath)
            {
                var source = CrlRevocationSource.FromPem(CliFiles.ReadText(crlPath, "CRL"), rootCertificate);
                source.Crl.EnsureCurrent(TimeProvider.System.GetUtcNow()); // a live decision needs a live CRL
                revocation = source;
            }
            var entries = (parse.GetValue(approvals) ?? []).Select(path => ReadApproval(path)).ToList();
            var outcome = new ApprovalPolicy(consortium, rootCertificate, revocation).Evaluate(plan.Id, parse.GetValue(round), entries, TimeProvider.System.GetUtcNow());
            foreach (var refused in outcome.Refused)
            {
                stdout.WriteLine($"not counted: {refused}");
            }

            stdout.WriteLine($"{(outcome.Approved ? "approved" : "not approved")}: {outcome.Approvers.Count} of {outcome.Required} required ({string.Join(", ", outcome.Approvers)}) for plan {plan.Id}");
            return Task.FromResult(outcome.Approved ? ExitCodes.Ok : ExitCodes.Failed);
        });
        return command;
    }

    /// <summary>The plan's differential-privacy section as an approver must see it, or that it has none.</summary>
    private static void WritePrivacy(TextWriter output, TrainingPlan plan)
    {
        if (plan.Privacy is null)
        {
            output.WriteLine("differential privacy: none (the aggregate model carries no noise; inference from it is not bounded)");
            return;
        }

        output.WriteLine("differential privacy:");
        foreach (var (label, value) in PrivacyDescription.Fields(plan.Privacy))
        {
            output.WriteLine($"  {label + ":",-19}{value}");
        }
    }

    private static LogEntry ReadApproval(string path)
    {
        var bytes = CliFiles.ReadBytes(path, "approval");
        var line = bytes.AsSpan().TrimEnd("\n"u8);
        try
        {
            return LogLine.Decode(line, out _);
        }
        catch (FormatException ex)
        {
            throw new CliException($"'{path}' is not a signed approval: {ex.Message}");
        }
    }
}
