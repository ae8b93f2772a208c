using System.Reflection;

namespace HospitalFed.Transport;

/// <summary>Request headers a HospitalFed node adds to its calls (gRPC metadata; names are lower-case ASCII).</summary>
public static class NodeHeaders
{
    /// <summary>The caller's HospitalFed software version, sent by a site when it opens its task stream.</summary>
    public const string Version = "hfed-version";

    /// <summary>The longest version value the aggregator keeps (a longer one is cut).</summary>
    public const int MaxVersionLength = 64;

    /// <summary>This build's version: the informational version, its source commit (if any) shortened to 12 hex digits.</summary>
    public static string SoftwareVersion { get; } = Shorten(
        typeof(NodeHeaders).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NodeHeaders).Assembly.GetName().Version?.ToString()
        ?? "unknown");

    /// <summary>A reported version made safe to show: printable ASCII only, at most <see cref="MaxVersionLength"/> characters.</summary>
    public static string Sanitise(string reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        var printable = new string([.. reported.Where(c => c is >= ' ' and <= '~')]);
        return printable.Length <= MaxVersionLength ? printable : printable[..MaxVersionLength];
    }

    private static string Shorten(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length > plus + 13 ? version[..(plus + 13)] : version;
    }
}
