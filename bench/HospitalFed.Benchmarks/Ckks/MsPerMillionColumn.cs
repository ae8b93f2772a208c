using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>Mean time per ciphertext × ciphertexts per million parameters, in milliseconds.</summary>
public sealed class MsPerMillionColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(MsPerMillionColumn);

    /// <inheritdoc />
    public string ColumnName => "ms/1M params";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Mean per ciphertext × ceil(10^6 / values per ciphertext), in ms";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null)
        {
            return "-";
        }

        var setting = (string)benchmarkCase.Parameters["Setting"];
        var perCiphertext = CkksBenchmarkSetting.Create(setting).Parameters.ValuesPerCiphertext;
        var ciphertexts = (1_000_000 + perCiphertext - 1) / perCiphertext;
        return (report.ResultStatistics.Mean * ciphertexts / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
