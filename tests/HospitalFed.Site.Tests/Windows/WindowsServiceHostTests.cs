using HospitalFed.Site.Hosting.Windows;

namespace HospitalFed.Site.Tests.Windows;

public sealed class WindowsServiceHostTests
{
    [Test]
    [Platform(Exclude = "Win", Reason = "off Windows there is no Service Control Manager: the body must run in place")]
    public async Task RunAsync_NotUnderTheScm_RunsTheBodyInPlaceWithTheConsoleToken()
    {
        // Arrange
        using var console = new CancellationTokenSource();
        CancellationToken seen = default;

        // Act
        var code = await WindowsServiceHost.RunAsync(token =>
        {
            seen = token;
            return Task.FromResult(7);
        }, console.Token).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(WindowsServiceHost.MayBeService, Is.False);
        Assert.That(code, Is.EqualTo(7));
        Assert.That(seen, Is.EqualTo(console.Token));
    }
}
