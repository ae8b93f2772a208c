namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Where the orchestrator keeps a plan's once-per-plan set-up outcome (for CKKS: the key holders'
/// signed public-key shares and their signed confirmations of the collective key), so a restarted
/// aggregator continues the plan under the same collective key instead of running a set-up the
/// sites refuse. The record is public and self-authenticating: the protection verifies every
/// signature in it against the consortium trust when it is read back; the store only keeps bytes.
/// </summary>
public interface ISetupArchive
{
    /// <summary>Where the record of <paramref name="planId"/> is kept (named in errors).</summary>
    /// <param name="planId">The plan's id.</param>
    string Locate(string planId);

    /// <summary>Stores the set-up record durably before the plan's first round opens.</summary>
    /// <param name="planId">The plan's id.</param>
    /// <param name="record">The protection's encoded set-up record.</param>
    void Keep(string planId, ReadOnlySpan<byte> record);

    /// <summary>Reads the set-up record of <paramref name="planId"/>, or null when none was kept.</summary>
    /// <param name="planId">The plan's id.</param>
    /// <exception cref="InvalidDataException">The record exists but was altered or damaged (its checksum fails).</exception>
    byte[]? Read(string planId);
}
