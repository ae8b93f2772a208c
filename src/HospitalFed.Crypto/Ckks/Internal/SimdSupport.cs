using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>Which <see cref="SimdWidth"/> the running machine accelerates.</summary>
internal static class SimdSupport
{
    /// <summary>
    /// The widest accelerated width. The vector paths use x86 permutes for the small FFT stages,
    /// so they need AVX-512F (512) or AVX2 (256); elsewhere the scalar code runs.
    /// </summary>
    public static SimdWidth Widest { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported ? SimdWidth.Vector256
        : SimdWidth.Scalar;

    /// <summary>Whether <paramref name="width"/> can run here.</summary>
    public static bool IsSupported(SimdWidth width) => width switch
    {
        SimdWidth.Scalar => true,
        SimdWidth.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported,
        SimdWidth.Vector512 => Widest == SimdWidth.Vector512,
        _ => false,
    };
}
