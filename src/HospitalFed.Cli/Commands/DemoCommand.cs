using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Transport;
using Spectre.Console;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed transport demo</c>: starts a node with mutual TLS on loopback and exercises the transport end to end.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size-mib")
        {
            Description = "Size of the blob streamed up and down, in MiB (1 to 4096).",
            DefaultValueFactory = _ => 64,
        };
        var serve = new Option<bool>("--serve") { Description = "Keep the demo node running (until Ctrl+C) so other gRPC tools can call it." };
        var plaintext = new Option<bool>("--plaintext") { Description = "With --serve: plaintext HTTP/2 (h2c) instead of mutual TLS." };
        var port = new Option<int>("--port") { Description = "With --serve: port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 50051 };
        var pemDirectory = new Option<DirectoryInfo>("--pem-dir")
        {
            Description = "With --serve over TLS: where to write ca.pem, client.pem and client.key for clients.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Path.GetTempPath(), "hfed-demo-pki")),
        };
        var command = new Command("demo", "Start a HospitalFed node on 127.0.0.1 with mutual TLS and call it: health, every call kind, and a large blob streamed both ways with SHA-256 checks.")
        {
            size, serve, plaintext, port, pemDirectory,
        };
        command.SetAction((parse, cancellationToken) => parse.GetValue(serve)
            ? ServeAsync(parse.GetValue(port), parse.GetValue(plaintext), parse.GetValue(pemDirectory)!, cancellationToken)
            : RunAsync(parse.GetValue(size), cancellationToken));
        return command;
    }

    private static async Task<int> ServeAsync(int port, bool plaintext, DirectoryInfo pemDirectory, CancellationToken cancellationToken)
    {
        try
        {
            await DemoNode.ServeAsync(port, plaintext, pemDirectory, Console.Out, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Extensions.Options.OptionsValidationException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync("hfed demo: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> RunAsync(int sizeMiB, CancellationToken cancellationToken)
    {
        if (sizeMiB is < 1 or > 4096)
        {
            await Console.Error.WriteLineAsync($"hfed demo: --size-mib must be between 1 and 4096 (got {sizeMiB}).").ConfigureAwait(false);
            return 2;
        }

        try
        {
            var (address, steps) = await TransportDemo.RunAsync(sizeMiB, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            var table = new Table().Title($"HospitalFed transport demo: node at {address} (mutual TLS, throwaway CA)")
                .AddColumn("Call").AddColumn("Kind").AddColumn("Result").AddColumn(new TableColumn("Time").RightAligned());
            foreach (var step in steps)
            {
                table.AddRow(Markup.Escape(step.Name), step.Kind, Markup.Escape(step.Result), step.Elapsed.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms");
            }

            AnsiConsole.Write(table);
            var transfer = steps.Where(s => s.Name.StartsWith("BlobTransfer/", StringComparison.Ordinal)).Sum(s => s.Elapsed.TotalSeconds);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[green]All {0} calls succeeded[/]; {1} MiB moved each way at {2:N0} MiB/s on average. The node has shut down.", steps.Count, sizeMiB, 2 * sizeMiB / transfer);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("hfed demo: cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync("hfed demo: " + (ex is RpcException ? NodeCallFailure.Describe(ex) : ex.Message)).ConfigureAwait(false);
            return 1;
        }
    }
}
