using HospitalFed.Aggregator.Persistence;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class SetupStoreTests
{
    private const string PlanId = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static readonly byte[] Record = [0x68, 0x66, 0x65, 0x64, 0x00, 0xff, 0x10];

    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("hfed-setup-");

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    [Test]
    public void KeepRead_RoundTrip_OneOwnerOnlyFileNamedByThePlan()
    {
        // Arrange
        var store = new SetupStore(_directory.FullName);

        // Act
        store.Keep(PlanId, Record);
        var read = store.Read(PlanId);

        // Assert
        Assert.That(read, Is.EqualTo(Record));
        Assert.That(Directory.GetFiles(_directory.FullName).Select(Path.GetFileName), Is.EqualTo(new[] { PlanId + ".setup" }));
        Assert.That(store.Locate(PlanId), Is.EqualTo(Path.Combine(_directory.FullName, PlanId + ".setup")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(store.Locate(PlanId)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Read_NoRecord_IsNull()
    {
        // Arrange
        var store = new SetupStore(_directory.FullName);

        // Act
        var read = store.Read(PlanId);

        // Assert
        Assert.That(read, Is.Null);
    }

    [Test]
    public void Read_OneBitFlipped_IsRefusedNamingTheFile()
    {
        // Arrange
        var store = new SetupStore(_directory.FullName);
        store.Keep(PlanId, Record);
        var bytes = File.ReadAllBytes(store.Locate(PlanId));
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(store.Locate(PlanId), bytes);

        // Act
        var refusal = Assert.Throws<InvalidDataException>(() => store.Read(PlanId));

        // Assert
        Assert.That(refusal!.Message, Does.Contain(store.Locate(PlanId)).And.Contain("altered"));
    }

    [TestCase("../escape")]
    [TestCase("..")]
    [TestCase("")]
    [TestCase("a/b")]
    public void Locate_PlanIdThatIsNoFileName_IsRefused(string planId)
    {
        // Arrange
        var store = new SetupStore(_directory.FullName);

        // Act
        var refusal = Assert.Throws<ArgumentException>(() => store.Locate(planId));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("cannot name a set-up record file"));
    }
}
