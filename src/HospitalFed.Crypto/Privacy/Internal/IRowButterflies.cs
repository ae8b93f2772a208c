namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Butterflies on rows of <see cref="WalshHadamard.RowLength"/> doubles for one instruction path;
/// implemented by structs so <see cref="WalshHadamard"/>'s loops are compiled once per path with
/// these calls inlined.
/// </summary>
internal interface IRowButterflies
{
    /// <summary>One level on rows a and a + distance (distance in doubles): (x + y, x - y).</summary>
    static abstract void Radix2(ref double a, int distance);

    /// <summary>Two levels on rows a, a + distance, a + 2 distance, a + 3 distance, the lower level first.</summary>
    static abstract void Radix4(ref double a, int distance);

    /// <summary>Three levels on rows a, a + distance, ..., a + 7 distance, the lowest level first.</summary>
    static abstract void Radix8(ref double a, int distance);
}
