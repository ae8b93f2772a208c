using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Aggregator.Persistence;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class AggregateStoreTests
{
    private static readonly double[] Sum = [0, 1.5, -3.25e9, double.Epsilon];

    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("hfed-aggregates-");

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    [Test]
    public void KeepRead_RoundTrip_NamedByTheLoggedDigest()
    {
        // Arrange
        var store = new AggregateStore(_directory.FullName);
        var digest = Digest(Sum);

        // Act
        store.Keep(digest, Sum);
        var read = store.Read(digest, Sum.Length);

        // Assert
        Assert.That(read, Is.EqualTo(Sum));
        Assert.That(Directory.GetFiles(_directory.FullName).Select(Path.GetFileName), Is.EqualTo(new[] { digest + ".aggregate" }));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_directory.FullName, digest + ".aggregate")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Keep_NotALowercaseSha256Name_IsRefused()
    {
        var store = new AggregateStore(_directory.FullName);

        Assert.Throws<ArgumentException>(() => store.Keep("../" + Digest([1, 2])[3..], Sum));
    }

    [Test]
    public void Read_OneBitFlipped_IsRefused()
    {
        // Arrange
        var store = new AggregateStore(_directory.FullName);
        var digest = Digest(Sum);
        store.Keep(digest, Sum);
        var path = Path.Combine(_directory.FullName, digest + ".aggregate");
        var bytes = File.ReadAllBytes(path);
        bytes[40] ^= 0x01; // a payload bit
        File.WriteAllBytes(path, bytes);

        // Act
        var error = Assert.Throws<InvalidDataException>(() => store.Read(digest, Sum.Length));

        // Assert
        Assert.That(error!.Message, Does.Contain(digest).And.Contain("checksum"));
    }

    [Test]
    public void Read_WrongLength_IsRefused()
    {
        var store = new AggregateStore(_directory.FullName);
        var digest = Digest(Sum);
        store.Keep(digest, Sum);

        var error = Assert.Throws<InvalidDataException>(() => store.Read(digest, Sum.Length + 1));

        Assert.That(error!.Message, Does.Contain("holds 4 values").And.Contain("has 5"));
    }

    [Test]
    public void Prune_SumNotInTheLog_IsDeletedAndLoggedOnesKept()
    {
        // Arrange: one logged sum, one written just before a crash (never logged), one torn temporary.
        var store = new AggregateStore(_directory.FullName);
        var logged = Digest(Sum);
        var orphan = Digest([7]);
        store.Keep(logged, Sum);
        store.Keep(orphan, [7.0]);
        File.WriteAllBytes(Path.Combine(_directory.FullName, orphan + ".aggregate.tmp"), [1, 2]);

        // Act
        var deleted = store.Prune(new HashSet<string>([logged]));

        // Assert
        Assert.That(deleted, Is.EqualTo(2));
        Assert.That(store.Read(logged, Sum.Length), Is.EqualTo(Sum));
        Assert.That(Directory.GetFiles(_directory.FullName), Has.Length.EqualTo(1));
    }

    // Any digest the log carries names the file; here the SHA-256 of the values stands in for it.
    private static string Digest(double[] values) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));
}
