namespace HospitalFed.Cli.Commands;

/// <summary>A command failed with a one-line message for the user and an exit code.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.Usage)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
