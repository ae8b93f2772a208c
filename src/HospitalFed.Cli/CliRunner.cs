using System.CommandLine;
using HospitalFed.Cli.Commands;

namespace HospitalFed.Cli;

/// <summary>
/// Builds the <c>hfed</c> root command and runs it with the given output streams, so tests can
/// invoke the real command line in-process. Every failure, including a parse error or an
/// unexpected exception, is one line on the error stream and a non-zero exit code.
/// </summary>
internal static class CliRunner
{
    /// <summary>Creates the root command with every command group.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("hfed: HospitalFed, federated learning for hospital consortia.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"hfed: {parse.Errors[0].Message} (see 'hfed {string.Join(' ', CommandPath(parse))} --help')".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("hfed: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            // Last resort: no stack trace on the terminal, only the message.
            await error.WriteLineAsync($"hfed: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    /// <summary>Collapses a message onto one line.</summary>
    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }
}
