using System.Security.Cryptography;

namespace HospitalFed.Crypto.SecAgg.Internal;

/// <summary>The two shares a site holds of one peer's secrets (b_j and s_j^SK).</summary>
internal sealed class HeldShares(byte[] maskSeedShare, byte[] maskKeyShare)
{
    public byte[] MaskSeedShare { get; } = maskSeedShare;

    public byte[] MaskKeyShare { get; } = maskKeyShare;

    public void Erase()
    {
        CryptographicOperations.ZeroMemory(MaskSeedShare);
        CryptographicOperations.ZeroMemory(MaskKeyShare);
    }
}
