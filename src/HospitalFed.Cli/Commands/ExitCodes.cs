namespace HospitalFed.Cli.Commands;

/// <summary>The exit codes of every <c>hfed</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A check failed: a log did not verify, approvals fell short, a policy refused.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: unknown option, missing or malformed file, wrong passphrase.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>An unexpected internal error.</summary>
    public const int Internal = 70;
}
