namespace HospitalFed.Crypto.SecAgg;

/// <summary>
/// A secure-aggregation state machine refused a message or cannot continue. The message names
/// the rule and the party concerned, never key material or update values.
/// </summary>
/// <remarks>
/// <see cref="SecAggFailure.WrongStage"/>, <see cref="SecAggFailure.WrongPlan"/>,
/// <see cref="SecAggFailure.WrongRound"/>, <see cref="SecAggFailure.Duplicate"/> and refusals of
/// one sender's message leave the session as it was. A site that detects a deviation by the
/// aggregator (any other failure) aborts: it erases its secrets and accepts nothing more.
/// </remarks>
public sealed class SecAggException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecAggException(SecAggFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SecAggException(SecAggFailure failure, string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>The rule that failed.</summary>
    public SecAggFailure Failure { get; }
}
