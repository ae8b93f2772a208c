using System.Globalization;

namespace HospitalFed.Learning.Data.Drafting.Internal;

/// <summary>Turns column profiles into column decisions, a target and review notes, then the JSON draft.</summary>
internal static class DraftBuilder
{
    /// <summary>The most levels a drafted categorical column gets; more is high-cardinality and ignored.</summary>
    public const int MaxLevels = 20;

    private static readonly string[] PositiveWords = ["yes", "y", "true", "1", "positive", "pos", "died", "dead", "death", "event"];

    public static SchemaDraft Build(string source, char delimiter, ColumnProfile[] columns, ISet<string> missingSeen, long dataLines, SchemaDraftOptions options)
    {
        var names = columns.Select(c => c.Name).ToList();
        foreach (var id in options.Identifiers)
        {
            if (!names.Contains(id))
            {
                throw new SchemaException($"--id '{id}' is not a column of {source} (columns: {string.Join(", ", names)})");
            }
        }

        if (options.Target is { } named && !names.Contains(named))
        {
            throw new SchemaException($"--target '{named}' is not a column of {source} (columns: {string.Join(", ", names)})");
        }

        var review = new List<string>();
        var rejects = false;
        var decisions = columns.Select(c => Feature(c, options.Identifiers.Contains(c.Name), review, ref rejects)).ToList();
        var target = options.Target;
        if (target is null)
        {
            target = decisions.LastOrDefault(d => d.Type != ColumnType.Ignore)?.Name
                ?? throw new SchemaException($"{source}: every column is ignored (identifiers, constants, dates or high-cardinality): no target can be drafted");
            review.Insert(0, $"no target given (--target): the draft names '{target}', the last usable column, as a PLACEHOLDER target; set target.column and its rule");
        }

        var index = names.IndexOf(target);
        var (column, targetSchema) = Target(columns[index], review, ref rejects);
        decisions[index] = column;
        if (rejects)
        {
            review.Add("badRows is \"skip\" so that the rows above are rejected and counted rather than failing the load; fix the extract, then set \"fail\"");
        }

        review.Add("minimum/maximum are this extract's observed range: widen them to the valid range at every site");
        var tokens = missingSeen.Count == 0 ? [""] : missingSeen.ToList();
        var json = DraftWriter.Write(source, dataLines, delimiter, options.Header, tokens, rejects, decisions, targetSchema, review);
        ExtractSchema schema;
        try
        {
            schema = ExtractSchema.Parse(json);
        }
        catch (SchemaException e)
        {
            throw new SchemaException($"{source}: the draft is not a usable schema: {e.Message}", e);
        }

        return new SchemaDraft(json, schema, review, dataLines);
    }

    private static ColumnDecision Feature(ColumnProfile c, bool identifier, List<string> review, ref bool rejects)
    {
        var missing = c.Missing > 0 ? $", {c.Missing} missing (first at line {c.FirstMissingLine})" : string.Empty;
        ColumnDecision Ignore(string why, string? note = null)
        {
            if (note is not null)
            {
                review.Add($"column '{c.Name}': {note}");
            }

            return new(c.Name, ColumnType.Ignore, [], null, null, MissingPolicy.Reject, why);
        }

        if (identifier)
        {
            return Ignore("identifier (--id): ignored");
        }

        if (c.Present == 0)
        {
            return Ignore("every value missing: ignored", $"every value is missing: ignored");
        }

        if (c.Distinct.Count == 1 && !c.Overflow)
        {
            return Ignore($"constant{missing}: ignored", $"constant (one value only): ignored");
        }

        if (c.LooksLikeDates)
        {
            return Ignore("dates or times: ignored", "looks like dates or times: ignored; export a duration or an age instead if it matters");
        }

        var unique = c.Present >= 10 && (c.Overflow ? c.Distinct.Values.All(n => n == 1) : c.Distinct.Count == c.Present);
        if (unique && (c.Texts > 0 || c.AllIntegers))
        {
            return Ignore("every value different: a likely identifier, ignored", "every value is different: a likely identifier, ignored (pass --id to say so)");
        }

        var policy = c.Missing > 0 ? MissingPolicy.Indicator : MissingPolicy.Reject;
        if (c.Numbers >= c.Texts)
        {
            if (c.Texts > 0)
            {
                rejects = true;
                review.Add($"column '{c.Name}': mixed types: {c.Texts} value(s) are not numbers, first at line(s) {string.Join(", ", c.TextLines)}; drafted numeric, so those rows are rejected");
            }

            var kind = c.AllIntegers ? "integer" : "number";
            var comment = string.Create(CultureInfo.InvariantCulture, $"{kind}, {c.Minimum:R} to {c.Maximum:R}, {(c.Overflow ? $"over {ColumnProfile.MaxDistinct}" : c.Distinct.Count)} distinct{missing}");
            if (c.IsZeroOne)
            {
                return new(c.Name, ColumnType.Binary, [], null, null, policy, $"0/1{missing}");
            }

            if (c.AllIntegers && !c.Overflow && c.Distinct.Count <= 10 && c.Texts == 0)
            {
                review.Add($"column '{c.Name}': integer with {c.Distinct.Count} values ({string.Join(", ", c.Levels())}): drafted numeric; make it categorical if these are codes");
            }

            return new(c.Name, ColumnType.Numeric, [], c.Minimum, c.Maximum, policy, comment + ", standardised");
        }

        if (c.Overflow || c.Distinct.Count > MaxLevels)
        {
            return Ignore(
                $"text with {(c.Overflow ? $"over {ColumnProfile.MaxDistinct}" : c.Distinct.Count)} distinct values: ignored",
                $"high cardinality ({(c.Overflow ? $"over {ColumnProfile.MaxDistinct}" : c.Distinct.Count)} distinct values, more than {MaxLevels}): ignored; group its values into a few levels to use it");
        }

        var levels = c.Levels();
        return new(c.Name, ColumnType.Categorical, levels, null, null, c.Missing > 0 ? MissingPolicy.Impute : MissingPolicy.Reject, $"categorical, {levels.Count} levels{missing}");
    }

    private static (ColumnDecision Column, TargetSchema Target) Target(ColumnProfile c, List<string> review, ref bool rejects)
    {
        if (c.Present == 0)
        {
            throw new SchemaException($"target '{c.Name}' has no values: every one is missing");
        }

        if (c.Missing > 0)
        {
            rejects = true;
            review.Add($"target '{c.Name}': missing on {c.Missing} row(s), first at line {c.FirstMissingLine}; the loader rejects those rows");
        }

        const string Why = "TARGET";
        if (c.Texts == 0)
        {
            var numeric = new ColumnDecision(c.Name, ColumnType.Numeric, [], c.Minimum, c.Maximum, MissingPolicy.Reject, Why);
            if (c.IsZeroOne)
            {
                review.Add($"target '{c.Name}': 0/1, positive = 1 (greaterThan 0)");
                return (numeric, new TargetSchema { Column = c.Name, GreaterThan = 0 });
            }

            if (c.AllIntegers && !c.Overflow && c.Distinct.Count <= 10)
            {
                review.Add(string.Create(CultureInfo.InvariantCulture, $"target '{c.Name}': integer values {string.Join(", ", c.Levels())}; positive = greater than {c.Minimum:R} (the smallest); for several classes use kind \"multiclass\" with classes"));
                return (numeric, new TargetSchema { Column = c.Name, GreaterThan = c.Minimum });
            }

            var mean = c.Sum / c.Numbers;
            review.Add(string.Create(CultureInfo.InvariantCulture, $"target '{c.Name}': continuous; positive = greater than the mean {mean:G6}; set the threshold you mean"));
            return (numeric, new TargetSchema { Column = c.Name, GreaterThan = Math.Round(mean, 6) });
        }

        if (c.Overflow || c.Distinct.Count > MaxLevels)
        {
            throw new SchemaException($"target '{c.Name}' has more than {MaxLevels} distinct values: not a classification target");
        }

        var levels = c.Levels();
        var column = new ColumnDecision(c.Name, levels.Count >= 2 ? ColumnType.Categorical : ColumnType.Numeric, levels.Count >= 2 ? levels : [], null, null, MissingPolicy.Reject, Why);
        if (levels.Count > 2)
        {
            review.Add($"target '{c.Name}': multiclass, classes {string.Join(", ", levels)}");
            return (column, new TargetSchema { Column = c.Name, Kind = TargetKind.Multiclass, Classes = levels });
        }

        var positive = levels.FirstOrDefault(l => PositiveWords.Contains(l.ToLowerInvariant()))
            ?? levels.MinBy(l => c.Distinct[l])!;
        review.Add($"target '{c.Name}': binary, positive = '{positive}' of {string.Join(", ", levels.Select(l => $"'{l}'"))}; check it is the outcome you predict");
        return (column, new TargetSchema { Column = c.Name, PositiveValues = [positive] });
    }
}
