using System.CommandLine;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed site init</c>: enrollment on the site's own machine; the private key never leaves it. <c>check</c> and <c>run</c> are in <see cref="SiteServiceCommands"/>, <c>heads export</c> in <see cref="SiteHeadsCommand"/>.</summary>
internal static class SiteCommands
{
    public static Command Create()
    {
        var site = new Command("site", "Site node: enrollment, preflight, the site service and the tree heads it countersigned.");
        site.Subcommands.Add(Init());
        site.Subcommands.Add(SiteServiceCommands.Check());
        site.Subcommands.Add(SiteServiceCommands.Run());
        site.Subcommands.Add(SiteHeadsCommand.Create());
        return site;
    }

    private static Command Init() =>
        Request("init", "Generate the site's ECDSA P-256 key (stays here, mode 0600) and a signing request to send to the CA.");

    /// <summary>A key-and-request command writing NAME.key.pem and NAME.csr.pem (<see cref="PartyFiles"/>); also used by <c>hfed pki request</c>.</summary>
    internal static Command Request(string commandName, string description)
    {
        var name = new Option<string>("--name") { Description = "The party's consortium name (its certificate's common name; also names its files)", Required = true };
        var dir = new Option<string>("--dir") { Description = "Directory for NAME.key.pem (mode 0600) and NAME.csr.pem", Required = true };
        var command = new Command(commandName, description) { name, dir };
        CliAction.Set(command, (parse, output, _) =>
        {
            var directory = parse.GetValue(dir)!;
            var party = parse.GetValue(name)!;
            var keyPath = PartyFiles.Key(directory, party);
            var csrPath = PartyFiles.Request(directory, party);
            var (keyPem, csrPem) = SiteEnrollment.CreateRequest(party);
            CliFiles.WritePrivate(keyPath, keyPem);
            CliFiles.WritePublic(csrPath, csrPem);
            output.WriteLine($"wrote {keyPath} (private, mode 0600: never copy it) and {csrPath} (send this to the consortium CA)");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
