using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HospitalFed.Cli.Logging;

/// <summary>The logging of the long-running services (<c>site run</c>, <c>aggregator run</c>): single-line console, plus a file when asked.</summary>
internal static partial class ServiceLogging
{
    /// <summary>The <c>--log-file</c> option.</summary>
    public static Option<string?> LogFileOption() => new("--log-file")
    {
        Description = "Also append the service's log to this file (one line per event; use it for a Windows service, whose console nobody reads)",
    };

    /// <summary>
    /// The category of <see cref="LogFailureAsync"/>'s line: it goes to the log file only, because the
    /// console already gets the same reason as the CLI's one <c>hfed:</c> line on stderr.
    /// </summary>
    public const string FailureCategory = "HospitalFed.Service";

    /// <summary>A logger factory writing to the console and, if <paramref name="logFile"/> is set, to that file.</summary>
    public static ILoggerFactory Create(string? logFile) => LoggerFactory.Create(builder => Configure(builder, logFile, journald: false));

    /// <summary>
    /// Sets up <paramref name="builder"/>: one line per event on the console (with a time of day, or under
    /// systemd in journald's format: a <c>&lt;N&gt;</c> priority prefix and no timestamp, which the journal adds)
    /// and, if <paramref name="logFile"/> is set, in that file.
    /// </summary>
    public static void Configure(ILoggingBuilder builder, string? logFile, bool journald)
    {
        builder.ClearProviders();
        builder.AddFilter<ConsoleLoggerProvider>(FailureCategory, LogLevel.None);
        if (journald)
        {
            builder.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        if (!string.IsNullOrEmpty(logFile))
        {
            builder.AddProvider(new FileLoggerProvider(logFile));
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> and, if it fails with an error the CLI reports on stderr, logs
    /// that error first: under a Windows service or with <c>--log-file</c>, stderr is not where an
    /// operator looks.
    /// </summary>
    public static async Task<int> LogFailureAsync(ILogger log, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ServiceFailed(log, CliRunner.OneLine(ex.Message));
            throw;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "service stopped: {Reason}")]
    private static partial void ServiceFailed(ILogger logger, string reason);
}
