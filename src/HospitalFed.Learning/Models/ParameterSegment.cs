namespace HospitalFed.Learning.Models;

/// <summary>
/// One named block of a model's flat parameter vector, stored row-major.
/// </summary>
/// <param name="Name">Stable name, e.g. <c>layer0.weight</c>; part of the plan, so never renamed.</param>
/// <param name="Offset">Index of the first element in the flat vector.</param>
/// <param name="Rows">Rows of the block (output units for a weight matrix, 1 for a vector).</param>
/// <param name="Columns">Columns of the block (input units for a weight matrix).</param>
public sealed record ParameterSegment(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>Number of elements in the block (<see cref="Rows"/> x <see cref="Columns"/>).</summary>
    public int Length => Rows * Columns;
}
