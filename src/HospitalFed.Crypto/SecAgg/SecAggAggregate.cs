using HospitalFed.Crypto.Quantization;

namespace HospitalFed.Crypto.SecAgg;

/// <summary>The unmasked result of a round: the sum of the contributors' quantised updates.</summary>
public sealed class SecAggAggregate
{
    private readonly QuantizationPlan _quantization;
    private readonly uint[] _sum;

    internal SecAggAggregate(QuantizationPlan quantization, IReadOnlyList<string> contributors, IReadOnlyList<string> dropped, uint[] sum)
    {
        _quantization = quantization;
        Contributors = contributors;
        Dropped = dropped;
        _sum = sum;
    }

    /// <summary>The sites whose updates the sum contains (U3), sorted.</summary>
    public IReadOnlyList<string> Contributors { get; }

    /// <summary>The sites that shared keys but whose masked input never arrived (U2 \ U3), sorted.</summary>
    public IReadOnlyList<string> Dropped { get; }

    /// <summary>The sum in Z_2^32, exactly as unmasked.</summary>
    public ReadOnlyMemory<uint> Sum => _sum;

    /// <summary>Decodes the whole sum into real values (allocates d doubles).</summary>
    public double[] Decode() => _quantization.DecodeSum(_sum);

    /// <summary>Decodes words [<paramref name="offset"/>, + destination length) of the sum.</summary>
    public void Decode(long offset, Span<double> destination) =>
        _quantization.DecodeSum(_sum.AsSpan((int)offset, destination.Length), offset, destination);
}
