using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>Serialised bytes per value of a full (public-key) ciphertext and of a seeded one, as "full / seeded".</summary>
public sealed class BytesPerParameterColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(BytesPerParameterColumn);

    /// <inheritdoc />
    public string ColumnName => "bytes/param (pk / seeded)";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 1;

    /// <inheritdoc />
    public bool IsNumeric => false;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Serialised ciphertext bytes / values per ciphertext (float32 is 4)";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var context = CkksBenchmarkSetting.Create((string)benchmarkCase.Parameters["Setting"]);
        var full = new CkksCiphertext(context);
        var values = (double)context.Parameters.ValuesPerCiphertext;
        using var key = new CkksKeyGenerator(context).GenerateSecretKey();
        var seeded = new CkksEncryptor(context, key).Encrypt([0.0]);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return string.Create(inv, $"{CkksSerializer.GetSize(full) / values:F2} / {CkksSerializer.GetSize(seeded) / values:F2}");
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
