using System.Security.Authentication;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// Rewrites a failed connection to a node into one line that names the cause: the TLS refusal of the
/// node's certificate (thrown by <see cref="NodeChannel"/>'s validation), a handshake the node refused,
/// or a connection the node closed before answering, which over mutual TLS 1.3 is how a refused client
/// certificate shows (RFC 8446 4.4.2: the server checks it after the client considers the handshake done).
/// grpc-dotnet then ends the call with UNAVAILABLE carrying this exception.
/// </summary>
internal sealed class NodeConnectionHandler(Uri address) : DelegatingHandler
{
    /// <summary>The message of the exception thrown by <see cref="NodeChannel"/>'s certificate validation.</summary>
    public const string RefusalPrefix = "the node's TLS certificate was refused: ";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex is not NodeConnectionException && !cancellationToken.IsCancellationRequested)
        {
            throw new NodeConnectionException(Describe(ex), ex);
        }
    }

    private string Describe(HttpRequestException exception)
    {
        var prefix = $"could not reach {address.GetLeftPart(UriPartial.Authority)}: ";
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException && current.Message.StartsWith(RefusalPrefix, StringComparison.Ordinal))
            {
                return prefix + current.Message;
            }
        }

        var inner = ExceptionChain.Innermost(exception);
        if (address.Scheme != Uri.UriSchemeHttps)
        {
            return prefix + inner.Message.TrimEnd('.');
        }

        if (inner is AuthenticationException)
        {
            return prefix + "TLS handshake failed (" + inner.Message.TrimEnd('.') + "); the node refuses clients whose certificate is missing or not issued by a CA it trusts";
        }

        var couldNotConnect = inner is System.Net.Sockets.SocketException or TimeoutException
            || exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;
        return couldNotConnect
            ? prefix + inner.Message.TrimEnd('.')
            : prefix + "the node closed the TLS connection before answering (" + inner.Message.TrimEnd('.') + "); over mutual TLS this means it refused this node's certificate: missing, expired, revoked or not issued by a CA it trusts";
    }
}
