using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// HKDF-SHA256 (RFC 5869) derivations of secure aggregation, each under its own label from
/// <see cref="HkdfLabels"/> and bound to plan and round (and, where it matters, the parties).
/// The input keying material is the raw x-coordinate of a P-256 ECDH agreement.
/// </summary>
public static class SecAggKeyDerivation
{
    /// <summary>The size of a share-sealing key: AES-256.</summary>
    public const int ShareKeySize = 32;

    /// <summary>
    /// Derives the AES-256-GCM key that seals shares from <paramref name="binding"/>'s sender to its
    /// recipient. The direction is part of the info, so the two directions of one pair use
    /// different keys even though ECDH(c_i, c_j) = ECDH(c_j, c_i).
    /// </summary>
    public static byte[] DeriveShareKey(ReadOnlySpan<byte> agreement, MessageBinding binding)
    {
        var info = ContextEncoding.Encode(HkdfLabels.ShareKey, binding);
        var key = new byte[ShareKeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, agreement, key, salt: default, info);
        return key;
    }

    /// <summary>
    /// Derives the pairwise mask seed s_ij of sites <paramref name="first"/> and
    /// <paramref name="second"/> (in either order: the pair is sorted ordinally first, so both
    /// ends derive the same seed).
    /// </summary>
    public static byte[] DeriveMaskSeed(ReadOnlySpan<byte> agreement, string planId, long round, string first, string second)
    {
        var (low, high) = string.CompareOrdinal(first, second) < 0 ? (first, second) : (second, first);
        var info = ContextEncoding.Encode(HkdfLabels.MaskSeed, new MessageBinding(planId, round, low, high));
        var seed = new byte[MaskPrg.SeedSize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, agreement, seed, salt: default, info);
        return seed;
    }
}
