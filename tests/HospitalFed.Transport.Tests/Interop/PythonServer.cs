using System.Diagnostics;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>A python grpcio server on 127.0.0.1 (a free port it picks), killed when disposed.</summary>
internal sealed class PythonServer : IDisposable
{
    private readonly Process _process;

    private PythonServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PythonServer> StartAsync(string descriptors, string[]? tls = null)
    {
        string[] arguments = ["serve", "--descriptors", descriptors, .. tls is null ? Array.Empty<string>() : ["--tls", .. tls]];
        var process = Process.Start(PythonPeer.StartInfo(arguments))!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                var error = await process.StandardError.ReadToEndAsync(cts.Token);
                throw new InvalidOperationException($"The python server did not start: {line} {error}");
            }

            return new PythonServer(process, int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
