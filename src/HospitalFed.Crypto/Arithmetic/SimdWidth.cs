namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// Which instruction path the word-level kernels (NTT, pointwise Shoup products, additions) run
/// on. Production code always takes <see cref="SimdSupport.Best"/>; the explicit choice exists so
/// tests can check every path the machine has against the scalar one.
/// </summary>
internal enum SimdWidth
{
    /// <summary>Portable scalar code: the reference every vector path must match bit for bit.</summary>
    Scalar = 1,

    /// <summary>Four 64-bit lanes with AVX2 only (VPMULUDQ; no 64-bit low multiply, no unsigned min).</summary>
    Vector256 = 4,

    /// <summary>Eight 64-bit lanes with AVX-512F/DQ (VPMULUDQ, VPMULLQ, VPMINUQ, two-source permutes).</summary>
    Vector512 = 8,
}
