using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Cli.Commands;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and an exit code.</summary>
internal static class CliAction
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void Set(Command command, Func<ParseResult, TextWriter, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                return await body(parse, output, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException ex)
            {
                return Fail(error, ex.Message, ex.ExitCode);
            }
            catch (Exception ex) when (ex is PkiException or PlanException or IdentityException or FormatException or JsonException)
            {
                return Fail(error, ex.Message, ExitCodes.Usage);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return Fail(error, ex.Message, ExitCodes.Usage);
            }
        });
    }

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine($"hfed: {CliRunner.OneLine(message)}");
        return code;
    }
}
