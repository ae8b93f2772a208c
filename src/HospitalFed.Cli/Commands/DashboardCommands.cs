using System.CommandLine;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Cli.Logging;
using HospitalFed.Dashboard;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed dashboard serve</c>: the dashboard as its own process beside the aggregator, reading
/// the aggregator's files read-only. <c>hfed dashboard login</c>: signs a short-lived, single-use login link for the consortium
/// dashboard with the party's own key, here on the party's machine; only the certificate and the
/// signature go into the link, never the key.
/// </summary>
internal static class DashboardCommands
{
    public static Command Create()
    {
        var dashboard = new Command("dashboard", "The consortium dashboard (read-only web pages served by the aggregator).");
        dashboard.Subcommands.Add(Serve());
        dashboard.Subcommands.Add(Login());
        return dashboard;
    }

    private static Command Serve()
    {
        var config = new Option<string>("--config") { Description = "The aggregator's configuration file: the dashboard uses its certificate, key, root, CRL, consortium config and round log", Required = true };
        var port = new Option<int>("--port") { Description = "The dashboard's HTTPS port", DefaultValueFactory = _ => new DashboardOptions().Port };
        var bind = new Option<string>("--bind") { Description = "The address to listen on", DefaultValueFactory = _ => new DashboardOptions().BindAddress };
        var origin = new Option<string?>("--public-origin") { Description = "The https://host:port browsers use (login links are bound to it); default https://localhost:PORT" };
        var logFile = ServiceLogging.LogFileOption();
        var command = new Command("serve", "Serve the read-only consortium dashboard over HTTPS from the aggregator's round log until Ctrl+C.") { config, port, bind, origin, logFile };
        CliAction.Set(command, async (parse, stdout, cancellationToken) =>
        {
            AggregatorConfig settings;
            try
            {
                settings = AggregatorConfig.Load(parse.GetValue(config)!);
            }
            catch (InvalidDataException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Usage);
            }

            var options = new DashboardOptions
            {
                Port = parse.GetValue(port),
                BindAddress = parse.GetValue(bind)!,
                PublicOrigin = parse.GetValue(origin),
                Certificate = settings.Certificate,
                Key = settings.Key,
                Root = settings.Root,
                Crl = settings.Crl ?? throw new CliException($"{parse.GetValue(config)}: the dashboard needs the consortium CRL (key \"crl\") to refuse revoked parties"),
                Consortium = settings.Consortium,
                Log = settings.Log,
            };
            using var logs = ServiceLogging.Create(parse.GetValue(logFile));
            var server = new DashboardServer(options, logs);
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    await server.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException ex)
                {
                    throw new CliException(ex.Message, ExitCodes.Usage);
                }

                stdout.WriteLine($"dashboard: {server.Origin} (round log {options.Log}); sign in with 'hfed dashboard login --url {server.Origin} --cert ... --key ...'; Ctrl+C stops it");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Login()
    {
        var url = new Option<string>("--url") { Description = "The dashboard's address, e.g. https://aggregator.example.org:7444", Required = true };
        var lifetime = new Option<int>("--lifetime")
        {
            Description = $"Seconds the link stays valid (at most {(int)DashboardLoginLink.MaxLifetime.TotalSeconds}); it works once",
            DefaultValueFactory = _ => (int)DashboardLoginLink.DefaultLifetime.TotalSeconds,
        };
        var command = new Command("login", "Print a login link for the dashboard, signed with your consortium certificate's key (valid briefly, usable once).")
        {
            url, PartyKeys.Cert, PartyKeys.Key, PartyKeys.KeyPassphraseFile, lifetime,
        };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var seconds = parse.GetValue(lifetime);
            if (seconds < 1 || seconds > DashboardLoginLink.MaxLifetime.TotalSeconds)
            {
                throw new CliException($"--lifetime must be from 1 to {(int)DashboardLoginLink.MaxLifetime.TotalSeconds} seconds (got {seconds})");
            }

            string origin;
            try
            {
                origin = DashboardLoginLink.NormaliseOrigin(parse.GetValue(url)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException("--url: " + ex.Message.Split(" (Parameter", 2)[0]);
            }

            using var party = PartyKeys.Load(parse);
            stdout.WriteLine(DashboardLoginLink.Create(party, origin, TimeSpan.FromSeconds(seconds)));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
