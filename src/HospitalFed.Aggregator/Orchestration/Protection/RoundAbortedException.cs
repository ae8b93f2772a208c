namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>A round (or a plan's set-up) cannot complete safely; the orchestrator aborts it rather than reveal a wrong or partial sum.</summary>
internal sealed class RoundAbortedException : Exception
{
    public RoundAbortedException(string message)
        : base(message)
    {
    }

    public RoundAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
