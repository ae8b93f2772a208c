using System.Diagnostics;
using System.Globalization;
using HospitalFed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Worker;

/// <summary>
/// TEST-ONLY fault injection for the real-process dropout tests, off unless the environment
/// variable <see cref="EnvironmentVariable"/> is set (never set it on a production site). It lets a
/// test stop a site at a named point of a round deterministically instead of racing it with a
/// signal. Forms: <c>kill@Task/round</c> SIGKILLs the process when the task of that kind for that
/// round arrives, before it is handled (for example <c>kill@Survivors/2</c>: after the masked upload,
/// before the consistency check); <c>kill@upload/round</c> sends only the first half of the first
/// upload chunk, then SIGKILLs the process with the upload stream still open (a crash mid-upload);
/// <c>pause@upload/round</c> sends the same half chunk and <c>pause@Task/round</c> takes the task;
/// both log, pause 5 seconds (the window in which a test kills the aggregator) and then drop the
/// connection, so the site reconnects as after any network failure.
/// </summary>
public sealed class SiteFaultInjection
{
    /// <summary>The environment variable read by <see cref="FromEnvironment"/>: <c>HFED_TEST_FAULT</c>.</summary>
    public const string EnvironmentVariable = "HFED_TEST_FAULT";

    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);
    private readonly string _action;
    private readonly string _point;
    private readonly long _round;
    private bool _fired;

    private SiteFaultInjection(string action, string point, long round)
    {
        _action = action;
        _point = point;
        _round = round;
    }

    /// <summary>The fault named by <see cref="EnvironmentVariable"/>, or null when it is unset (the default).</summary>
    /// <exception cref="FormatException">The variable is set but malformed.</exception>
    public static SiteFaultInjection? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } spec ? Parse(spec) : null;

    /// <summary>Parses <c>action@point/round</c> (action <c>kill</c> or <c>pause</c>; point a task kind or <c>upload</c>).</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static SiteFaultInjection Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var at = spec.Split('@');
        var where = at.Length == 2 ? at[1].Split('/') : [];
        if (at.Length != 2 || at[0] is not ("kill" or "pause") || where.Length != 2
            || !long.TryParse(where[1], NumberStyles.None, CultureInfo.InvariantCulture, out var round)
            || (where[0] != "upload" && !Enum.TryParse<SiteTask.TaskOneofCase>(where[0], out _)))
        {
            throw new FormatException($"{EnvironmentVariable} '{spec}' is not kill@<Task or upload>/<round> or pause@<Task or upload>/<round>.");
        }

        return new SiteFaultInjection(at[0], where[0], round);
    }

    /// <summary>Called before a task is handled: fires if this is the named task.</summary>
    /// <exception cref="IOException">A pause ended: the connection is dropped.</exception>
    internal void BeforeTask(SiteTask task, long round, ILogger logger)
    {
        if (!_fired && round == _round && task.TaskCase.ToString() == _point)
        {
            Fire(round, logger);
        }
    }

    /// <summary>Wraps an upload's chunks: at the named round, the first half of the first chunk goes out, then the fault fires.</summary>
    internal IEnumerable<T> Upload<T>(IEnumerable<T> chunks, long round, Func<T, T> firstHalf, ILogger logger)
    {
        if (_fired || _point != "upload" || round != _round)
        {
            foreach (var chunk in chunks)
            {
                yield return chunk;
            }

            yield break;
        }

        using var items = chunks.GetEnumerator();
        if (!items.MoveNext())
        {
            yield break;
        }

        yield return firstHalf(items.Current);

        // Asked for the next chunk: the half chunk was written to the stream.
        Fire(round, logger);
    }

    private void Fire(long round, ILogger logger)
    {
        _fired = true;
        SiteLog.FaultInjected(logger, $"{_action}@{_point}", round);
        if (_action == "kill")
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(300)); // let the bytes already written reach the aggregator
            using var self = Process.GetCurrentProcess();
            self.Kill(); // SIGKILL: no cleanup, as kill -9
        }

        Thread.Sleep(Pause);
        throw new IOException($"test fault {_action}@{_point} ended the upload of round {round}");
    }
}
