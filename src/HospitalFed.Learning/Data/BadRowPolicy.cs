using System.Text.Json.Serialization;

namespace HospitalFed.Learning.Data;

/// <summary>What a malformed row does to a load; a schema's <c>badRows</c> member (<c>"fail"</c> or <c>"skip"</c>).</summary>
public enum BadRowPolicy
{
    /// <summary>The first malformed row fails the load with an <see cref="ExtractFormatException"/>. The default; <c>"fail"</c> in a schema.</summary>
    Fail,

    /// <summary>Malformed rows are rejected, counted and listed in the <see cref="IngestionReport"/>; every valid row is used. <c>"skip"</c> in a schema.</summary>
    [JsonStringEnumMemberName("skip")]
    Reject,
}
