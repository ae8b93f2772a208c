using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Finishes an encoding tile by tile: rounds multiplier * value with fresh coins and stores q at
/// its coordinate; keeps sum q^2 for the conditional rounding's exact norm check.
/// </summary>
internal ref struct RoundingSink(double multiplier, RoundingCoins coins, Span<int> destination, IRandomSource random, SimdWidth width) : ITileSink
{
    private readonly Span<int> _destination = destination;

    /// <summary>sum q^2 over every value consumed so far, exact.</summary>
    public long Squares { get; private set; }

    public void Consume(Span<double> tile, int rowLength, int rowCount, int start, int stride) =>
        Squares += RoundingKernel.Round(tile[..(rowLength * rowCount)], rowLength, rowCount, multiplier, coins.Take(rowLength * rowCount), _destination, start, stride, random, width);
}
