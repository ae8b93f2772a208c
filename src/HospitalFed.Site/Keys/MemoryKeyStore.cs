namespace HospitalFed.Site.Keys;

/// <summary>A key store in memory (tests and simulations): keys survive an agent, not the process.</summary>
public sealed class MemoryKeyStore : ISiteKeyStore
{
    private readonly Dictionary<string, CkksKeyMaterial> _stored = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public CkksKeyMaterial? Load(string planId) =>
        _stored.TryGetValue(planId, out var material) ? Copy(material) : null;

    /// <inheritdoc />
    public void Save(CkksKeyMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        _stored[material.PlanId] = Copy(material);
    }

    private static CkksKeyMaterial Copy(CkksKeyMaterial m) => m with { Shares = [.. m.Shares.Select(s => (byte[])s.Clone())] };
}
