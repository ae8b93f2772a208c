using System.Text.Json;
using System.Text.Json.Serialization;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Site.State;

/// <summary>
/// Keeps a <see cref="SitePlanState"/> in <c>plan-state.json</c> of the site's state directory:
/// written to a temporary file (mode 0600 on Unix, flushed to disk) then renamed over the old one,
/// so a crash leaves either the old state or the new, never a torn file. It sits beside, never
/// inside, any key store the site keeps in the same directory.
/// </summary>
public sealed class SiteStateStore
{
    /// <summary>The state file's name inside the state directory.</summary>
    public const string FileName = "plan-state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Uses <paramref name="directory"/>, creating it (mode 0700 on Unix) if needed.</summary>
    public SiteStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(directory).FullName
            : System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        Path = System.IO.Path.Combine(Directory, FileName);
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>Reads the state, or null when the site has none yet.</summary>
    /// <exception cref="InvalidDataException">The file is corrupted or inconsistent; the message names the file and what is wrong.</exception>
    public SitePlanState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        SitePlanState? state;
        try
        {
            state = JsonSerializer.Deserialize<SitePlanState>(File.ReadAllBytes(Path), Json);
        }
        catch (JsonException ex)
        {
            throw Corrupt($"it is not a site state document ({ex.Message})", ex);
        }

        if (state is null)
        {
            throw Corrupt("it is empty (null)");
        }

        Check(state);
        return state;
    }

    /// <summary>Replaces the state atomically (write to a temporary file, flush, rename).</summary>
    public void Save(SitePlanState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Check(state);
        OwnerOnlyFile.Replace(Path, JsonSerializer.SerializeToUtf8Bytes(state, Json));
    }

    private void Check(SitePlanState state)
    {
        if (state.PlanId is not { Length: 64 } || !state.PlanId.All(char.IsAsciiHexDigitLower))
        {
            throw Corrupt("'planId' is not a plan id (64 lower-case hex digits)");
        }

        if (state.Decision is { Length: 0 })
        {
            throw Corrupt("'decision' is empty");
        }

        if (state.LastJoinedRound < 0 || state.UnmaskedRounds < 0 || state.LastCompletedRound < 0
            || state.UnmaskedRounds > state.LastJoinedRound)
        {
            throw Corrupt($"its rounds are inconsistent (joined {state.LastJoinedRound}, unmasked {state.UnmaskedRounds}, completed {state.LastCompletedRound})");
        }

        if (state.ModelDigest is not null && (state.ModelDigest.Length != 64 || !state.ModelDigest.All(char.IsAsciiHexDigitLower)))
        {
            throw Corrupt("'modelDigest' is not a SHA-256 digest in lower-case hex");
        }

        CheckHeads(state);
    }

    /// <summary>Every kept head is this plan's countersignature and the sizes grow: the next consistency check starts from the last.</summary>
    private void CheckHeads(SitePlanState state)
    {
        if (state.Heads is null)
        {
            throw Corrupt("'heads' is null");
        }

        var previous = -1L;
        for (var i = 0; i < state.Heads.Count; i++)
        {
            LogEntry entry;
            try
            {
                entry = LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(state.Heads[i] ?? string.Empty), out _);
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                throw Corrupt($"'heads' entry {i} is not a log entry ({ex.Message})", ex);
            }

            if (entry.Kind != LogEntryKind.Countersignature || entry.PlanId != state.PlanId)
            {
                throw Corrupt($"'heads' entry {i} is not a countersignature of plan {state.PlanId}");
            }

            var size = TreeHead.From(entry).Size;
            if (size <= previous)
            {
                throw Corrupt($"'heads' entry {i} covers {size} entries, not more than entry {i - 1} ({previous})");
            }

            previous = size;
        }
    }

    private InvalidDataException Corrupt(string why, Exception? inner = null) =>
        new($"The site state file {Path} is corrupted: {why}. Refusing to start; restore it from a backup, or remove it only if this site never joined a round of the plan.", inner);
}
