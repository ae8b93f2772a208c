using HospitalFed.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Cli.Tests.Logging;

public sealed class FileLoggerProviderTests
{
    [Test]
    public void Log_MultiLineMessageAndException_AppendsOneLinePerEvent()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-log-");
        var path = Path.Combine(directory.FullName, "logs", "site.log");

        // Act
        using (var provider = new FileLoggerProvider(path))
        {
            var logger = provider.CreateLogger("HospitalFed.Site");
            logger.LogInformation("round 3\nphase upload");
            logger.LogDebug("below the file's level");
            logger.LogError(new InvalidOperationException("stream reset"), "upload failed");
        }

        // Assert
        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info HospitalFed\.Site: round 3 phase upload$"));
        Assert.That(lines[1], Does.EndWith("fail HospitalFed.Site: upload failed (InvalidOperationException: stream reset)"));
        directory.Delete(recursive: true);
    }

    [Test]
    public void Constructor_ExistingFile_Appends()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-log-");
        var path = Path.Combine(directory.FullName, "aggregator.log");
        File.WriteAllText(path, "earlier line\n");

        // Act
        using (var provider = new FileLoggerProvider(path))
        {
            provider.CreateLogger("x").LogWarning("later");
        }

        // Assert
        Assert.That(File.ReadAllLines(path), Has.Length.EqualTo(2).And.ItemAt(0).EqualTo("earlier line"));
        directory.Delete(recursive: true);
    }

    [Test]
    public void Constructor_NewFile_IsNotWorldReadable()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-log-");
        var path = Path.Combine(directory.FullName, "site.log");

        // Act
        using (new FileLoggerProvider(path))
        {
        }

        // Assert (on Windows the file inherits its directory's ACL)
        Assert.That(File.Exists(path), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite), Is.EqualTo(UnixFileMode.None));
        }
        directory.Delete(recursive: true);
    }
}
