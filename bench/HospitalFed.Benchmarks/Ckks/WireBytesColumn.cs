using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// Wire bytes per parameter from actual serialisations, as "upload / site total": a site's upload,
/// and its upload plus what it downloads to make a decryption share (each chunk's c1 mask and a
/// 32-byte chunk hash) plus that share.
/// </summary>
public sealed class WireBytesColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(WireBytesColumn);

    /// <inheritdoc />
    public string ColumnName => "wire B/param (upload / site total)";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 2;

    /// <inheritdoc />
    public bool IsNumeric => false;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Serialised bytes / values: site upload, and upload + decryption request (c1 mask + chunk hash) + decryption share";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var context = CkksBenchmarkSetting.Create((string)benchmarkCase.Parameters["Setting"]);
        var values = (double)context.Parameters.ValuesPerCiphertext;
        using var key = new CkksKeyGenerator(context).GenerateSecretKey();
        var publicKey = new CkksKeyGenerator(context).GeneratePublicKey(key);
        var upload = 0;
        new CkksVectorEncryptor(context, new CkksEncryptor(context, publicKey)).Encrypt(new double[1], (_, bytes) => upload = bytes.Length);
        var aggregate = new CkksCiphertext(context);
        var download = CkksSerializer.SerializeMask(aggregate).Length + AggregateDigest.Size;
        var share = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(10, 10, 10)).GenShare(key, aggregate).ToBytes().Length;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return string.Create(inv, $"{upload / values:F2} / {(upload + download + share) / values:F2}");
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
