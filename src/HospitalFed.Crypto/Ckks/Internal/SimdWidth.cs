namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// The vector width the CKKS encoding loops run at. <see cref="SimdSupport.Widest"/> is what production uses;
/// tests pick each width explicitly to check the vector paths against the scalar one.
/// </summary>
internal enum SimdWidth
{
    /// <summary>Scalar code: the reference, and the fallback where no vector unit is accelerated.</summary>
    Scalar,

    /// <summary>Four doubles or longs per operation (AVX2; AVX-512VL/DQ for 64-bit multiplies and conversions).</summary>
    Vector256,

    /// <summary>Eight doubles or longs per operation (AVX-512F/DQ).</summary>
    Vector512,
}
