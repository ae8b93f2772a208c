using HospitalFed.Ledger.Storage;

namespace HospitalFed.Ledger.Tests.Storage;

public sealed class OwnerOnlyFileTests
{
    [Test]
    public void Replace_ExistingFile_HoldsHeadThenBodyOwnerOnlyAndLeavesNoTemporary()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-owner-only-");
        var path = Path.Combine(directory.FullName, "state.json");
        OwnerOnlyFile.Replace(path, "old"u8);

        // Act
        OwnerOnlyFile.Replace(path, "head:"u8, "body"u8);

        // Assert
        Assert.That(File.ReadAllText(path), Is.EqualTo("head:body"));
        Assert.That(Directory.GetFiles(directory.FullName), Has.Length.EqualTo(1), "the temporary was renamed, not left behind");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        directory.Delete(recursive: true);
    }

    [Test]
    public void CreateNew_AbsentFile_HoldsContentOwnerOnly()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-owner-only-");
        var path = Path.Combine(directory.FullName, "site.key.pem");

        // Act
        OwnerOnlyFile.CreateNew(path, "key"u8);

        // Assert
        Assert.That(File.ReadAllText(path), Is.EqualTo("key"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        directory.Delete(recursive: true);
    }

    [Test]
    public void CreateNew_ExistingFile_ThrowsAndLeavesItUnchanged()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-owner-only-");
        var path = Path.Combine(directory.FullName, "site.key.pem");
        OwnerOnlyFile.CreateNew(path, "old"u8);

        // Act
        void Again() => OwnerOnlyFile.CreateNew(path, "new"u8);

        // Assert
        Assert.That(Again, Throws.InstanceOf<IOException>());
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        directory.Delete(recursive: true);
    }
}
