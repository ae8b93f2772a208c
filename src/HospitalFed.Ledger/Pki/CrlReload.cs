namespace HospitalFed.Ledger.Pki;

/// <summary>What one <see cref="ReloadingCrlSource.Refresh"/> found.</summary>
/// <param name="Changed">True when a new CRL was verified and is now in force.</param>
/// <param name="NewlyRevoked">Serials the new CRL revokes that the previous one did not (empty unless <paramref name="Changed"/>).</param>
/// <param name="Error">Why a changed file was not taken (the last good CRL stays in force), or null.</param>
public sealed record CrlReload(bool Changed, IReadOnlyList<RevokedEntry> NewlyRevoked, string? Error)
{
    /// <summary>The file is as it was: nothing to do.</summary>
    public static CrlReload Unchanged { get; } = new(false, [], null);
}
