namespace HospitalFed.Crypto.Primitives;

/// <summary>One Shamir share: the holder's x-coordinate and the 33-byte value f(x).</summary>
/// <param name="X">The holder's positive x-coordinate (in pairwise masking, its roster index + 1).</param>
/// <param name="Value">The big-endian field element f(X), <see cref="Shamir.ShareSize"/> bytes.</param>
public readonly record struct ShamirShare(int X, ReadOnlyMemory<byte> Value);
