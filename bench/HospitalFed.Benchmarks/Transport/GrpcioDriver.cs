using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Benchmarks.Transport;

/// <summary>
/// Drives Debian's python3-grpcio through Transport/hfed_peer.py: a grpcio server (also called by our
/// client) and a grpcio client of it, whose work the benchmark times through a stdin/stdout handshake.
/// </summary>
internal sealed class GrpcioDriver : IDisposable
{
    private readonly Process _process;

    private GrpcioDriver(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static GrpcioDriver Start(string workDirectory, string[]? tlsArguments)
    {
        var descriptors = Path.Combine(workDirectory, "hospitalfed.protoset");
        var set = new FileDescriptorSet();
        foreach (var file in new[] { HealthReflection.Descriptor, DiagnosticsReflection.Descriptor, BlobTransferReflection.Descriptor })
        {
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }

        File.WriteAllBytes(descriptors, set.ToByteArray());
        var python = Environment.GetEnvironmentVariable("HFED_INTEROP_PYTHON") is { Length: > 0 } configured ? configured : "/usr/bin/python3";
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Transport", "hfed_peer.py"), "driver", "--descriptors", descriptors }
            .Concat(tlsArguments ?? []))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["no_grpc_proxy"] = "*";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + python);
        var line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The grpcio peer did not start (is python3-grpcio installed for {python}?): {line}");
        }

        return new GrpcioDriver(process, int.Parse(line[5..], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs one command in the python process and waits for it to finish.</summary>
    public void Run(string command, long value)
    {
        _process.StandardInput.WriteLine(command + " " + value.ToString(CultureInfo.InvariantCulture));
        _process.StandardInput.Flush();
        var answer = _process.StandardOutput.ReadLine();
        if (answer != "done")
        {
            throw new InvalidOperationException($"The grpcio peer failed '{command}': {answer}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
