using System.Security.Cryptography;
using HospitalFed.Aggregator.Persistence;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class ModelStoreTests
{
    [Test]
    public void WriteRead_RoundTrip_NameIsTheDigestOfTheContent()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-models-");
        var store = new ModelStore(directory.FullName);
        float[] parameters = [0.5f, -1.25f, 3f];
        double[] statistics = [10, 20.5];

        // Act
        var digest = store.Write(parameters, statistics);
        var (readParameters, readStatistics) = store.Read(digest, parameters.Length);

        // Assert
        Assert.That(readParameters, Is.EqualTo(parameters));
        Assert.That(readStatistics, Is.EqualTo(statistics));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory.FullName, digest + ".model")))), Is.EqualTo(digest));
        directory.Delete(recursive: true);
    }

    [Test]
    public void Read_OneBitFlipped_IsRefused()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-models-");
        var store = new ModelStore(directory.FullName);
        var digest = store.Write([1f, 2f], [3.0]);
        var path = Path.Combine(directory.FullName, digest + ".model");
        var bytes = File.ReadAllBytes(path);
        bytes[5] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        // Act
        var error = Assert.Throws<InvalidDataException>(() => store.Read(digest, 2));

        // Assert
        Assert.That(error!.Message, Does.Contain("altered"));
        directory.Delete(recursive: true);
    }
}
