namespace HospitalFed.Aggregator.Orchestration;

/// <summary>The orchestrator refused a call: plan not approved, wrong phase, or a message from the wrong party.</summary>
public sealed class OrchestratorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OrchestratorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public OrchestratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
