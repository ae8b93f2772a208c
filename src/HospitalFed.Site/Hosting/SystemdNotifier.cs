using System.Net.Sockets;
using System.Text;

namespace HospitalFed.Site.Hosting;

/// <summary>
/// Tells systemd (Type=notify) the service is ready by sending <c>READY=1</c> as one datagram to the
/// Unix socket named in <c>$NOTIFY_SOCKET</c> (sd_notify(3)); a no-op when the variable is unset.
/// Written directly, so no systemd package is needed.
/// </summary>
public static class SystemdNotifier
{
    /// <summary>Sends <paramref name="state"/> (e.g. <c>READY=1</c>) if running under systemd.</summary>
    /// <param name="state">Newline-separated assignments, see sd_notify(3).</param>
    /// <param name="socketPath">The socket; <c>$NOTIFY_SOCKET</c> by default.</param>
    /// <returns>Whether a notification was sent.</returns>
    /// <exception cref="SocketException">The socket exists but refused the datagram.</exception>
    public static bool Notify(string state, string? socketPath = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = socketPath ?? Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path) || OperatingSystem.IsWindows())
        {
            return false;
        }

        // A leading '@' names a socket in the abstract namespace (sd_notify(3)); .NET spells it with a NUL.
        var endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.SendTo(Encoding.UTF8.GetBytes(state), endpoint);
        return true;
    }
}
