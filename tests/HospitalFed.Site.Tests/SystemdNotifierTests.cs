using System.Net.Sockets;
using System.Text;
using HospitalFed.Site.Hosting;

namespace HospitalFed.Site.Tests;

[TestFixture]
[Platform(Exclude = "Win", Reason = "systemd notification sockets are Unix datagram sockets")]
public sealed class SystemdNotifierTests
{
    [Test]
    public async Task Notify_SocketGiven_SendsReadyAsOneDatagram()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-notify-");
        var path = Path.Combine(directory.FullName, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        var buffer = new byte[256];

        // Act
        var sent = SystemdNotifier.Notify("READY=1", path);
        var received = await listener.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(sent, Is.True);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, received), Is.EqualTo("READY=1"));
        directory.Delete(recursive: true);
    }

    [Test]
    public void Notify_NoSocket_DoesNothing()
    {
        // Act
        var sent = SystemdNotifier.Notify("READY=1", string.Empty);

        // Assert
        Assert.That(sent, Is.False);
    }
}
