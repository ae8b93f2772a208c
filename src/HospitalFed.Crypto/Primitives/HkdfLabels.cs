namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// The HKDF-SHA256 <c>info</c> labels of secure aggregation (RFC 5869 section 3.2: "info"
/// binds derived keys to their purpose). Each purpose has its own label, so a key derived for
/// one purpose is independent of the key for any other, even from the same secret.
/// </summary>
public static class HkdfLabels
{
    /// <summary>AES-256-GCM key sealing Shamir shares from one site to another, from ECDH(c_i, c_j).</summary>
    public const string ShareKey = "hfed/secagg/share-key/v1";

    /// <summary>Pairwise mask seed s_ij, from ECDH(s_i, s_j).</summary>
    public const string MaskSeed = "hfed/secagg/mask-seed/v1";

    /// <summary>Additional authenticated data of a sealed share (not an HKDF label, but kept beside them so no two contexts share a label).</summary>
    public const string ShareAad = "hfed/secagg/share-aad/v1";

    /// <summary>The public per-round seed of the SecAgg+ neighbour graph (a SHA-256 domain label).</summary>
    public const string NeighbourGraph = "hfed/secagg/graph/v1";
}
