using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace HospitalFed.IntegrationTests;

/// <summary>The built <c>hfed</c> run as a real process; disposing kills its whole process tree.</summary>
internal sealed class HfedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _watches = [];
    private bool? _reaped;

    public HfedProcess(params string[] arguments)
        : this(new Dictionary<string, string>(), arguments)
    {
    }

    /// <summary>Starts hfed with extra <paramref name="environment"/> variables (e.g. the test-only HFED_TEST_FAULT).</summary>
    public HfedProcess(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "hfed.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Whether the process has exited (and so left nothing running).</summary>
    public bool HasExited => _reaped ?? _process.HasExited;

    /// <summary>Waits (bounded) for an output line matching <paramref name="pattern"/>, including lines already printed.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>; the message carries the output so far.</exception>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var earlier = _lines.Select(l => regex.Match(l)).FirstOrDefault(m => m.Success);
            if (earlier is not null)
            {
                return earlier;
            }

            _watches.Add((regex, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_output)
            {
                _watches.Remove((regex, seen));
            }

            throw new TimeoutException($"No output line matched /{pattern}/ within {timeout}; output so far:\n{Output}");
        }
    }

    /// <summary>SIGKILLs the process tree now (no graceful shutdown, as a crash or <c>kill -9</c>) and reaps it.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends a POSIX signal (e.g. "STOP" to freeze the process as a hung host would, "CONT" to thaw it) with kill(1).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit(10_000);
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} failed");
    }

    /// <summary>Waits for the exit (bounded) and returns the exit code.</summary>
    /// <exception cref="TimeoutException">The process is still running after <paramref name="timeout"/>; the message carries its output so far.</exception>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"pid {_process.Id} still running after {timeout.TotalSeconds:0} s; its output so far:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _reaped ??= HasExitedSafely();
        _process.Dispose();
    }

    private bool HasExitedSafely()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // never started: nothing is running
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                _lines.Add(line);
                foreach (var watch in _watches.Where(w => w.Pattern.Match(line).Success).ToList())
                {
                    _watches.Remove(watch);
                    watch.Seen.TrySetResult(watch.Pattern.Match(line));
                }
            }
        }
    }
}
