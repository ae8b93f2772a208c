namespace HospitalFed.Ledger.Configuration;

/// <summary>One key a service config file may hold (see <see cref="ConfigFile"/>).</summary>
/// <param name="Name">The key as written in the file (camelCase).</param>
/// <param name="Kind">What its value must be.</param>
/// <param name="Required">Whether the file must have it (an optional key may also be null).</param>
/// <param name="Keys">For a <see cref="ConfigValueKind.Section"/>: the keys the section may hold; none otherwise.</param>
public sealed record ConfigKey(string Name, ConfigValueKind Kind, bool Required = false, IReadOnlyList<ConfigKey>? Keys = null);
