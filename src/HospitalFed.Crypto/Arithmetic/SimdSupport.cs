using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>What the running machine supports of <see cref="SimdWidth"/>, decided once per process.</summary>
internal static class SimdSupport
{
    /// <summary>
    /// The widest supported path. A static readonly field, so the JIT folds the dispatch on it
    /// into a constant at tier 1 and the hot loops carry no ISA branch.
    /// </summary>
    public static readonly SimdWidth Best =
        IsSupported(SimdWidth.Vector512) ? SimdWidth.Vector512
        : IsSupported(SimdWidth.Vector256) ? SimdWidth.Vector256
        : SimdWidth.Scalar;

    /// <summary>Every path this machine can run, scalar first.</summary>
    public static IReadOnlyList<SimdWidth> Supported { get; } =
        [.. new[] { SimdWidth.Scalar, SimdWidth.Vector256, SimdWidth.Vector512 }.Where(IsSupported)];

    /// <summary>True when <paramref name="width"/> can run here.</summary>
    public static bool IsSupported(SimdWidth width) => width switch
    {
        SimdWidth.Scalar => true,
        // Vector256.IsHardwareAccelerated is false when the runtime is told to avoid 256-bit
        // vectors (DOTNET_PreferredVectorBitWidth); honour that as well as the ISA bits.
        SimdWidth.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported,
        SimdWidth.Vector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported,
        _ => false,
    };
}
