using System.Diagnostics;
using System.Text;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// Runs Interop/hfed_peer.py with Debian's python3-grpcio (a real gRPC implementation from another
/// ecosystem). Tests that need it report Inconclusive, with the install command, when it is absent.
/// </summary>
internal static class PythonPeer
{
    public const string InstallHint = "python3-grpcio not found for /usr/bin/python3: install it with `sudo apt-get install -y python3-grpcio python3-protobuf`";

    private static readonly Lazy<string?> Interpreter = new(Find);

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Interop", "hfed_peer.py");

    /// <summary>The interpreter that can import grpc, or Inconclusive.</summary>
    public static string RequireInterpreter() => Interpreter.Value ?? throw new InconclusiveException(InstallHint);

    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(RequireInterpreter())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Loopback only: never let grpcio pick up a proxy from the environment.
        info.Environment["no_grpc_proxy"] = "*";
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("https_proxy");
        info.Environment.Remove("grpc_proxy");
        return info;
    }

    /// <summary>Runs the script to completion; kills it if it outlives <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params IEnumerable<string> arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hfed_peer.py did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? Find()
    {
        // HFED_INTEROP_PYTHON, when set, is the only candidate (also how CI checks the Inconclusive path).
        var configured = Environment.GetEnvironmentVariable("HFED_INTEROP_PYTHON");
        var candidates = string.IsNullOrEmpty(configured) ? ["/usr/bin/python3"] : new[] { configured };
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate) || !File.Exists(candidate))
            {
                continue;
            }

            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import grpc, google.protobuf"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                })!;
                if (probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0)
                {
                    return candidate;
                }

                if (!probe.HasExited)
                {
                    probe.Kill();
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not runnable here; try the next candidate.
            }
        }

        return null;
    }
}
