namespace HospitalFed.Ledger.Plans;

/// <summary>A plan, consortium configuration or approval is malformed or refused; the message names the field or rule.</summary>
public sealed class PlanException : Exception
{
    /// <summary>Creates the exception with a message naming what was wrong.</summary>
    public PlanException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public PlanException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
