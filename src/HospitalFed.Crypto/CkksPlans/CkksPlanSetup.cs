using System.Security.Cryptography;
using System.Text;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.CkksPlans;

/// <summary>
/// What the aggregator and every site of a CKKS plan derive identically: the common random
/// polynomial's seed bound to the plan id, the parameter presets by wire name, the decryption
/// threshold rule and the signature purposes of the set-up messages (docs/ckks.md "Multiparty protocol").
/// </summary>
public static class CkksPlanSetup
{
    /// <summary>Signature purpose of a key holder's ECDH key for sealed threshold shares.</summary>
    public const string ShareKeyPurpose = "ckks/share-key";

    /// <summary>Signature purpose of a key holder's statement of the collective public key it derived.</summary>
    public const string CollectiveKeyPurpose = "ckks/collective-key";

    /// <summary>Preset wire names and their parameters.</summary>
    public static IReadOnlyDictionary<string, CkksParameters> Presets { get; } = new Dictionary<string, CkksParameters>(StringComparer.Ordinal)
    {
        ["aggregation"] = CkksPresets.Aggregation,
        ["small-model"] = CkksPresets.SmallModel,
        ["large-model"] = CkksPresets.LargeModel,
    };

    /// <summary>
    /// The 32-byte seed of the plan's common random polynomial: SHA-256 over a domain label and the
    /// plan id, so every party expands the same a and no party chooses it (Mouchet et al., PETS
    /// 2021, §4.1 assume a common reference string).
    /// </summary>
    public static byte[] CrpSeed(string planId)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        return SHA256.HashData(Encoding.UTF8.GetBytes("hfed/ckks/crp/v1\0" + planId));
    }

    /// <summary>The preset for vectors of at most <paramref name="maxValues"/> values: one small-model ciphertext when that suffices, else the default.</summary>
    public static string PresetFor(long maxValues) =>
        maxValues <= CkksPresets.SmallModel.ValuesPerCiphertext ? "small-model" : "aggregation";

    /// <summary>
    /// The decryption threshold t for <paramref name="keyHolders"/> key holders: more than 2n/3
    /// (so the honest key holders in any two active sets overlap, as for pairwise masking) and at
    /// least the plan's minimum sites, capped at n.
    /// </summary>
    public static int Threshold(int keyHolders, int minSites) =>
        Math.Min(keyHolders, Math.Max(minSites, (2 * keyHolders / 3) + 1));
}
