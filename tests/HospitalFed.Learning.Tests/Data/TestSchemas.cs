using System.Text;
using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Tests.Data;

internal static class TestSchemas
{
    /// <summary>age (numeric, 0..120), sex (binary), cp (categorical 1..3), note (ignored), y (target y &gt; 0).</summary>
    public static ExtractSchema Small(string missing = "reject", string header = "false") => ExtractSchema.Parse($$"""
        {
          "header": {{header}},
          "columns": [
            { "name": "age", "type": "numeric", "minimum": 0, "maximum": 120, "missing": "{{missing}}" },
            { "name": "sex", "type": "binary" },
            { "name": "cp", "type": "categorical", "levels": ["1", "2", "3"] },
            { "name": "note", "type": "ignore" },
            { "name": "y", "type": "numeric" }
          ],
          "target": { "column": "y", "greaterThan": 0 }
        }
        """);

    public static ExtractTable Load(string text, ExtractSchema schema, BadRowPolicy policy = BadRowPolicy.Fail) =>
        Load(Encoding.UTF8.GetBytes(text), schema, policy);

    public static ExtractTable Load(byte[] bytes, ExtractSchema schema, BadRowPolicy policy = BadRowPolicy.Fail)
    {
        using var stream = new MemoryStream(bytes);
        return ExtractLoader.Load(stream, "site.csv", schema, policy);
    }
}
