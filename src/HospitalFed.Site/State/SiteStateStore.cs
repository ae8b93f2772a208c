using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HospitalFed.Ledger.Storage;
using HospitalFed.Site.State.Internal;

namespace HospitalFed.Site.State;

/// <summary>
/// Keeps a <see cref="SitePlanState"/> in <c>plan-state.json</c> of the site's state directory:
/// written to a temporary file (mode 0600 on Unix, flushed to disk) then renamed over the old one,
/// so a crash leaves either the old state or the new, never a torn file. The countersigned heads,
/// which grow by one a round, are appended to <c>heads-PLANID.jsonl</c> beside it instead, so a
/// save costs the same at round 1,000 as at round 1. It sits beside, never inside, any key store
/// the site keeps in the same directory.
/// </summary>
public sealed class SiteStateStore
{
    /// <summary>The state file's name inside the state directory.</summary>
    public const string FileName = "plan-state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
    private readonly SiteHeadsFile _heads;

    /// <summary>Uses <paramref name="directory"/>, creating it (mode 0700 on Unix) if needed.</summary>
    public SiteStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(directory).FullName
            : System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        Path = System.IO.Path.Combine(Directory, FileName);
        _heads = new SiteHeadsFile(Directory, (why, inner) => Corrupt(why, inner));
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
        JsonNode? legacyHeads = null;
        try
        {
            var document = JsonNode.Parse(File.ReadAllBytes(Path)) switch
            {
                null => throw Corrupt("it is empty (null)"),
                JsonObject o => o,
                _ => throw new JsonException("the document is not a JSON object"),
            };
            document.Remove("heads", out legacyHeads); // kept inline before heads got their own file
            state = document.Deserialize<SitePlanState>(Json) ?? throw Corrupt("it is empty (null)");
        }
        catch (JsonException ex)
        {
            throw Corrupt($"it is not a site state document ({ex.Message})", ex);
        }

        Check(state);
        if (legacyHeads is null)
        {
            return state with { Heads = _heads.Read(state.PlanId) };
        }

        IReadOnlyList<string> heads;
        try
        {
            heads = legacyHeads.Deserialize<List<string>>(Json) ?? throw Corrupt("'heads' is null");
        }
        catch (JsonException ex)
        {
            throw Corrupt($"'heads' is not a list of lines ({ex.Message})", ex);
        }

        _heads.Adopt(state.PlanId, heads);
        return state with { Heads = heads };
    }

    /// <summary>
    /// Saves the state: heads the file does not hold yet are appended to the plan's heads file
    /// (<c>heads-PLANID.jsonl</c>, flushed to disk), then the rest replaces <c>plan-state.json</c>
    /// atomically (write to a temporary file, flush, rename). Its cost does not grow with the
    /// number of heads kept.
    /// </summary>
    public void Save(SitePlanState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Check(state);
        if (state.Heads is null)
        {
            throw Corrupt("'heads' is null");
        }

        _heads.Write(state.PlanId, state.Heads); // before the document, so a head saved is never missing after a crash
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
    }

    private InvalidDataException Corrupt(string why, Exception? inner = null) =>
        new($"The site state file {Path} is corrupted: {why}. Refusing to start; restore it from a backup, or remove it only if this site never joined a round of the plan.", inner);
}
