namespace HospitalFed.Ledger.Audit;

/// <summary>Thrown inside the verifier by a failed check; becomes the <see cref="AuditFailure"/> of the entry being checked.</summary>
internal sealed class AuditCheckException : Exception
{
    public AuditCheckException(string what, string why)
        : base($"{what}: {why}")
    {
        What = what;
        Why = why;
    }

    public string What { get; }

    public string Why { get; }
}
