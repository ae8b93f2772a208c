namespace HospitalFed.Transport;

/// <summary>
/// A call ended with a non-OK <see cref="Status"/>. Clients receive it for every failed call;
/// server handlers throw it to end a call with a status of their choice.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/>.</summary>
    /// <param name="status">The call's status.</param>
    public RpcException(Status status)
        : base(status.ToString())
    {
        Status = status;
    }

    /// <summary>Creates the exception for <paramref name="code"/> with <paramref name="detail"/>.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="detail">The detail sent as <c>grpc-message</c>.</param>
    public RpcException(StatusCode code, string detail)
        : this(new Status(code, detail))
    {
    }

    /// <summary>Creates the exception for <paramref name="status"/>, keeping the local cause.</summary>
    /// <param name="status">The call's status.</param>
    /// <param name="innerException">The local exception that produced the status (never sent on the wire).</param>
    public RpcException(Status status, Exception? innerException)
        : base(status.ToString(), innerException)
    {
        Status = status;
    }

    /// <summary>The call's status.</summary>
    public Status Status { get; }

    /// <summary>The call's status code.</summary>
    public StatusCode StatusCode => Status.Code;
}
