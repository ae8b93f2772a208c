using System.Text.Json.Nodes;
using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Synthetic.Internal;

/// <summary>The synthetic extract's schema, as the JSON a site operator would write (docs/learning.md).</summary>
internal static class CohortSchema
{
    public static string Json(StandardizeMode standardize)
    {
        var columns = new JsonArray
        {
            Column("patient_ref", "ignore"),
            Numeric("age", 18, 100),
            Categorical("sex", ["F", "M"]),
            Numeric("systolic_bp", 60, 260),
            Numeric("creatinine", 0.1, 20, "indicator"),
            Numeric("crp", 0, 500),
            Numeric("troponin", 0, 50, "impute"),
            Numeric("hba1c", 3, 20),
            Numeric("prior_admissions", 0, 50),
            Categorical("admission_type", Patient.AdmissionTypes),
            Categorical("smoking", Patient.SmokingLevels, "impute"),
            Categorical("readmitted", ["no", "yes"], drop: false),
        };
        return new JsonObject
        {
            ["delimiter"] = ",",
            ["header"] = true,
            ["standardize"] = standardize.ToString().ToLowerInvariant(),
            ["columns"] = columns,
            ["target"] = new JsonObject { ["column"] = "readmitted", ["kind"] = "binary", ["positiveValues"] = new JsonArray("yes") },
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The header line, in column order.</summary>
    public const string Header = "patient_ref,age,sex,systolic_bp,creatinine,crp,troponin,hba1c,prior_admissions,admission_type,smoking,readmitted";

    private static JsonObject Column(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static JsonObject Numeric(string name, double minimum, double maximum, string? missing = null)
    {
        var column = Column(name, "numeric");
        column["minimum"] = minimum;
        column["maximum"] = maximum;
        if (missing is not null)
        {
            column["missing"] = missing;
        }

        return column;
    }

    private static JsonObject Categorical(string name, IReadOnlyList<string> levels, string? missing = null, bool drop = true)
    {
        // The first level is the reference: without it the one-hot block plus the bias would be
        // collinear and the pooled maximum-likelihood fit would not be unique.
        var column = Column(name, "categorical");
        column["levels"] = new JsonArray([.. levels.Select(l => JsonValue.Create(l))]);
        column["dropFirstLevel"] = drop;
        if (missing is not null)
        {
            column["missing"] = missing;
        }

        return column;
    }
}
