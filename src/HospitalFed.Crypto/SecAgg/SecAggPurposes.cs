namespace HospitalFed.Crypto.SecAgg;

/// <summary>The signature purpose labels of secure aggregation, one per signed message kind.</summary>
public static class SecAggPurposes
{
    /// <summary>A site's signature on its two ephemeral public keys (AdvertiseKeys).</summary>
    public const string AdvertiseKeys = "hfed/secagg/advertise-keys/v1";

    /// <summary>A site's signature on the survivor set U3 (ConsistencyCheck).</summary>
    public const string ConsistencyCheck = "hfed/secagg/consistency-check/v1";
}
