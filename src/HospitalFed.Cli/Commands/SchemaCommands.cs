using System.CommandLine;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Data.Drafting;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed schema draft</c>: profile a CSV extract and write a draft extract schema to review.</summary>
internal static class SchemaCommands
{
    public static Command Create()
    {
        var schema = new Command("schema", "Extract schemas: draft one from a CSV extract.");
        schema.Subcommands.Add(Draft());
        return schema;
    }

    private static Command Draft()
    {
        var extract = new Argument<string>("extract") { Description = "The CSV/TSV extract (UTF-8, header line first); streamed, any size" };
        var output = new Option<string?>("--out") { Description = "Where to write the draft (never overwritten); default <extract name>.schema.json in the current directory" };
        var target = new Option<string?>("--target") { Description = "The target column; without it the draft names a placeholder for you to set" };
        var ids = new Option<string[]>("--id") { Description = "An identifier column, drafted as ignored (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data: name the columns col1, col2, ..." };
        var command = new Command("draft", "Profile a CSV extract and write a draft schema (types, levels, missing tokens, ranges, target) with what needs review.")
        {
            extract, output, target, ids, noHeader,
        };
        CliAction.Set(command, (parse, stdout, cancellationToken) =>
        {
            var path = parse.GetValue(extract)!;
            var options = new SchemaDraftOptions
            {
                Target = parse.GetValue(target),
                Identifiers = parse.GetValue(ids) ?? [],
                Header = !parse.GetValue(noHeader),
            };
            SchemaDraft draft;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                draft = SchemaDrafter.Draft(stream, Path.GetFileName(path), options, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read extract '{path}': {ex.Message}");
            }
            catch (ExtractFormatException ex)
            {
                // The location and the reason only: a profiled value is patient-level.
                throw new CliException(ex.Error.ToRedactedString());
            }
            catch (SchemaException ex)
            {
                throw new CliException(ex.Message);
            }

            var destination = parse.GetValue(output) ?? Path.GetFileNameWithoutExtension(path) + ".schema.json";
            CliFiles.WritePublic(destination, draft.Json);
            stdout.WriteLine($"wrote {destination}: {draft.Schema.Columns.Count} columns ({draft.Schema.FeatureColumns.Count} features, target '{draft.Schema.Target.Column}') from {draft.DataLines} data lines of {Path.GetFileName(path)}");
            stdout.WriteLine($"review before use ({draft.Review.Count}):");
            foreach (var note in draft.Review)
            {
                stdout.WriteLine($"  - {note}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
