namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>What consumes the finished values of a <see cref="BlockedRotation"/>, tile by tile.</summary>
internal interface ITileSink
{
    /// <summary>
    /// Takes <paramref name="rowCount"/> rows of <paramref name="rowLength"/> finished values, contiguous in
    /// <paramref name="tile"/>; row r, column c is coordinate start + r stride + c of the transform.
    /// </summary>
    void Consume(Span<double> tile, int rowLength, int rowCount, int start, int stride);
}
