namespace HospitalFed.Learning.Data.Drafting;

/// <summary>A drafted extract schema: its JSON text (with review comments) and what needs review.</summary>
/// <param name="Json">The schema as JSON with comments, in the format <see cref="ExtractSchema.Load"/> reads.</param>
/// <param name="Schema">The same schema, parsed and validated.</param>
/// <param name="Review">One line per thing a person must check before the schema is used (also in the JSON's header comment).</param>
/// <param name="DataLines">Data lines profiled (header and blank lines excluded).</param>
public sealed record SchemaDraft(string Json, ExtractSchema Schema, IReadOnlyList<string> Review, long DataLines);
