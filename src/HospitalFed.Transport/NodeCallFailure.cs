namespace HospitalFed.Transport;

/// <summary>
/// Says in one line why a call to a node failed, for logs and the CLI's one error line: the gRPC
/// status and its detail, or, for a call that never reached the node, the causes grpc-dotnet
/// attaches (connection refused, the TLS refusal reason from <see cref="NodeChannel"/>), never an
/// exception type name.
/// </summary>
public static class NodeCallFailure
{
    /// <summary>Describes <paramref name="exception"/> in one line.</summary>
    /// <param name="exception">What the call threw, typically a <see cref="Grpc.Core.RpcException"/>.</param>
    /// <param name="address">The node's address, named when the call never reached it; none by default.</param>
    /// <returns>For example <c>Unavailable: could not reach http://127.0.0.1:1: Connection refused (127.0.0.1:1)</c>.</returns>
    public static string Describe(Exception exception, Uri? address = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is Grpc.Core.RpcException rpc)
        {
            // grpc-dotnet's detail for a call that failed to start names exception types; its
            // DebugException holds the same causes, read here message by message.
            var detail = rpc.Status.DebugException is { } cause ? Causes(cause, address) : rpc.Status.Detail;
            return detail.Length == 0 ? rpc.StatusCode.ToString() : $"{rpc.StatusCode}: {detail}";
        }

        return Causes(exception, address);
    }

    private static string Causes(Exception exception, Uri? address)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is Internal.NodeConnectionException connection)
            {
                return connection.Message; // already the whole story, in one line
            }
        }

        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var message = OneLine(current.Message).Replace(", see inner exception", string.Empty, StringComparison.Ordinal).TrimEnd('.', ' ');
            if (message.Length > 0 && !messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        // Failed before any request left (grpc-dotnet's own connection attempt, e.g. connection refused).
        var causes = string.Join("; ", messages);
        return address is null ? causes : $"could not reach {address.GetLeftPart(UriPartial.Authority)}: {causes}";
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
