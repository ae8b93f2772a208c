using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// <c>hfed site run</c> started as systemd starts a Type=notify unit, as a real process: its parent is
/// named <c>systemd</c> (what the hosting package checks), INVOCATION_ID is set and $NOTIFY_SOCKET is a
/// Unix datagram socket this test binds, standing in for the service manager.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class SiteSystemdTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Test]
    public async Task SiteRun_StartedBySystemd_NotifiesReadyLogsForJournaldAndStopsOnSigterm()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Pass("systemd runs only on Linux");
            return;
        }

        // Arrange: a complete site installation, no aggregator (the site keeps reconnecting), a notify socket.
        var directory = Directory.CreateTempSubdirectory("hfed-it-systemd-").FullName;
        try
        {
            using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, "pairwise", sites: 3);
            var socketPath = Path.Combine(directory, "notify");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notify.Bind(new UnixDomainSocketEndPoint(socketPath));
            var launcher = Path.Combine(directory, "systemd");
            // The parent stays alive (no exec) so that hfed's parent process is named "systemd".
            await File.WriteAllTextAsync(launcher, "#!/bin/sh\n\"$@\" &\nchild=$!\necho \"child $child\"\nwait $child\n");
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var output = new StringBuilder();
            var start = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["NOTIFY_SOCKET"] = socketPath;
            start.Environment["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef";
            foreach (var argument in new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(TestContext.CurrentContext.TestDirectory, "hfed.dll"), "site", "run", "--config", files.PathOf("cleveland.json") })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => CapturedOutput.Append(output, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                // Act: wait for READY=1, then stop the service as `systemctl stop` does.
                var ready = await ReceiveAsync(notify);
                var child = await WaitForAsync(output, ChildLine());
                await WaitForAsync(output, ReconnectLine());
                using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", child.Groups[1].Value]) { UseShellExecute = false })!)
                {
                    await kill.WaitForExitAsync().WaitAsync(Timeout);
                }

                var stopping = await ReceiveAsync(notify);
                await process.WaitForExitAsync().WaitAsync(Timeout);
                process.WaitForExit(); // drains the redirected output

                // Assert
                var text = CapturedOutput.Text(output);
                Assert.Multiple(() =>
                {
                    Assert.That(ready, Does.Contain("READY=1"), text);
                    Assert.That(stopping, Does.Contain("STOPPING=1"), text);
                    Assert.That(process.ExitCode, Is.EqualTo(130), text);
                    Assert.That(text, Does.Contain("hfed: the site service was stopped before the plan ended"));
                    Assert.That(text, Does.Not.Match(@"\d\d:\d\d:\d\d "), "journald adds the time itself");
                });
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // The journald console format: a syslog priority (4 = warning), the category and the event id.
    [GeneratedRegex(@"^<4>HospitalFed\.Site\.Worker\.SiteWorker\[2002\] Connection lost", RegexOptions.Multiline)]
    private static partial Regex ReconnectLine();

    [GeneratedRegex(@"^child (\d+)$", RegexOptions.Multiline)]
    private static partial Regex ChildLine();

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    private static async Task<Match> WaitForAsync(StringBuilder output, Regex pattern)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (pattern.Match(CapturedOutput.Text(output)) is { Success: false })
        {
            // Polls the captured output; bounded by the token, no timing assertion.
            await Task.Delay(100, cts.Token);
        }

        return pattern.Match(CapturedOutput.Text(output));
    }
}
