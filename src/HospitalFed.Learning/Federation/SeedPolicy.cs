namespace HospitalFed.Learning.Federation;

/// <summary>Where a site's per-round shuffling seed comes from (the plan's <c>hyperparameters.seeds</c>).</summary>
public enum SeedPolicy
{
    /// <summary>
    /// <c>"derived"</c>: from SHA-256 of the plan id, the round and the site name, so a run can be
    /// replayed exactly by whoever holds the plan and the site's extract.
    /// </summary>
    Derived,

    /// <summary><c>"fresh"</c>: drawn from the operating system's CSPRNG each round (not reproducible).</summary>
    Fresh,
}
