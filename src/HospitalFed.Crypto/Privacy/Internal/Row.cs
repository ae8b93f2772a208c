using System.Runtime.CompilerServices;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>One row of <see cref="WalshHadamard.RowLength"/> doubles (a cache line), copied or cleared as one value so the JIT emits vector moves.</summary>
[InlineArray(WalshHadamard.RowLength)]
internal struct Row
{
    private double _first;

    /// <summary>The row starting at <paramref name="first"/>.</summary>
    public static ref Row At(ref double first) => ref Unsafe.As<double, Row>(ref first);
}
