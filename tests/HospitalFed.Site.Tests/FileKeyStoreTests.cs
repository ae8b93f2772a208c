using HospitalFed.Site.Keys;

namespace HospitalFed.Site.Tests;

[TestFixture]
public sealed class FileKeyStoreTests
{
    [Test]
    public void Save_NewStore_IsOwnerOnlyAndRoundTrips()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-keys-").FullName;
        var path = Path.Combine(directory, "keystore.json");
        using var material = new CkksKeyMaterial("plan-1", "small-model", "aggregator", ["site-01", "site-02"], [[1, 2], [3, 4]], 2, [5, 6, 7], [[8, 9], [10, 11]]);
        try
        {
            // Act
            new FileKeyStore(path).Save(material);
            using var loaded = new FileKeyStore(path).Load("plan-1");

            // Assert
            Assert.That(loaded, Is.Not.Null);
            Assert.That(loaded!.Shares.Select(s => s.ToArray()), Is.EqualTo(material.Shares));
            Assert.That(loaded.KeyHolders, Is.EqualTo(material.KeyHolders));
            Assert.That(new FileKeyStore(path).Load("plan-2"), Is.Null);
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions only; Windows relies on the directory ACL")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Open_StoreReadableByGroup_IsRefusedNamingTheFix()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-keys-").FullName;
        var path = Path.Combine(directory, "keystore.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        try
        {
            // Act
            var refusal = Assert.Throws<UnauthorizedAccessException>(() => _ = new FileKeyStore(path));

            // Assert
            Assert.That(refusal!.Message, Does.Contain("chmod 600").And.Contain(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
