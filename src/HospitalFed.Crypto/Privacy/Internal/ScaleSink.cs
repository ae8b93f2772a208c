namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>Stores each finished value times a factor back at its coordinate (the rotation's 1/sqrt(d')).</summary>
internal readonly ref struct ScaleSink(Span<double> destination, double factor) : ITileSink
{
    private readonly Span<double> _destination = destination;

    public void Consume(Span<double> tile, int rowLength, int rowCount, int start, int stride)
    {
        for (var r = 0; r < rowCount; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(tile.Slice(r * rowLength, rowLength), factor, _destination.Slice(start + (r * stride), rowLength));
        }
    }
}
