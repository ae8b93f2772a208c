using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// One vector step of <see cref="RoundingKernel"/> for one instruction path; implemented by structs
/// so the kernel's loop is compiled once per path with the step inlined.
/// </summary>
internal interface IRoundingLanes
{
    /// <summary>Values per step.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Rounds <see cref="Count"/> values v times <paramref name="multiplier"/> with coins
    /// <paramref name="coin"/>, stores q at <paramref name="destination"/>, and adds the squares q^2
    /// lane by lane into the <see cref="Count"/> 64-bit sums starting at <paramref name="accumulator"/>.
    /// </summary>
    static abstract void Step(ref double v, ref ushort coin, ref int destination, double multiplier, IRandomSource random, ref long accumulator);
}
