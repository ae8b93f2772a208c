namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// One contributor's upload as a decryptor is given it: per chunk, the SHA-256 of the chunk before
/// its c1 section and the c1 section itself (<see cref="AggregateDigest.SplitChunk"/>). Enough to
/// recompute the digest the contributor signed and to add its c1 into a sum, about a fifth of the upload.
/// </summary>
/// <param name="Contributor">The contributing site's consortium name.</param>
/// <param name="HeadHashes">Per chunk, SHA-256 of its bytes before the c1 section.</param>
/// <param name="MaskSections">Per chunk, its c1 section.</param>
public sealed record ContributorMasks(string Contributor, IReadOnlyList<ReadOnlyMemory<byte>> HeadHashes, IReadOnlyList<ReadOnlyMemory<byte>> MaskSections);
