using System.Security.Cryptography;

namespace HospitalFed.Site.Keys;

/// <summary>
/// What a site keeps of a CKKS plan after its set-up: the collective public key, the key holders
/// (their certificates, in point order), the threshold, and the n sealed-then-opened threshold
/// shares f_i(x_j) it received (its own included), which sum to its threshold key F(x_j). The
/// site's own secret s_i is not kept: after the set-up every decryption uses F(x_j) only.
/// Secret: <see cref="Shares"/> are zeroed on dispose.
/// </summary>
/// <param name="PlanId">The plan.</param>
/// <param name="Preset">The CKKS parameter preset's wire name.</param>
/// <param name="Aggregator">The aggregator's name every contribution and decryption share is bound to.</param>
/// <param name="KeyHolders">The key holders in point order (point = index + 1).</param>
/// <param name="Certificates">Their certificates (DER), in the same order.</param>
/// <param name="Threshold">t.</param>
/// <param name="PublicKey">The collective public key (CkksSerializer bytes).</param>
/// <param name="Shares">The threshold key shares received, one per key holder (ThresholdKeyShare bytes).</param>
public sealed record CkksKeyMaterial(string PlanId, string Preset, string Aggregator, IReadOnlyList<string> KeyHolders, IReadOnlyList<byte[]> Certificates, int Threshold, byte[] PublicKey, IReadOnlyList<byte[]> Shares) : IDisposable
{
    /// <summary>Zeroes the threshold shares.</summary>
    public void Dispose()
    {
        foreach (var share in Shares)
        {
            CryptographicOperations.ZeroMemory(share);
        }
    }
}
