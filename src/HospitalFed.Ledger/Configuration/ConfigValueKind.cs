namespace HospitalFed.Ledger.Configuration;

/// <summary>What a service config key holds, as the operator writes it in JSON.</summary>
public enum ConfigValueKind
{
    /// <summary>A file or directory path (a JSON string, relative to the config file's directory).</summary>
    Path,

    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>An absolute https:// or http:// URL.</summary>
    Url,

    /// <summary>A whole JSON number.</summary>
    Integer,

    /// <summary>A JSON number greater than zero.</summary>
    PositiveNumber,

    /// <summary>A JSON list of paths.</summary>
    PathList,

    /// <summary>A JSON list of strings.</summary>
    TextList,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON object of its own keys (<see cref="ConfigKey.Keys"/>), checked like the file's.</summary>
    Section,
}
