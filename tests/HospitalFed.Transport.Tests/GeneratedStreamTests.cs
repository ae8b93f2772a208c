using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Tests;

public sealed class GeneratedStreamTests
{
    [Test]
    public void Pseudorandom_SameSeed_SameBytesWhateverTheReadSizes()
    {
        // Arrange
        var whole = new byte[1000];
        var pieces = new byte[1000];

        // Act
        GeneratedStream.Pseudorandom(1000, 42).ReadExactly(whole);
        using var stream = GeneratedStream.Pseudorandom(1000, 42);
        for (var offset = 0; offset < pieces.Length; offset += 7)
        {
            stream.ReadExactly(pieces.AsSpan(offset, Math.Min(7, pieces.Length - offset)));
        }

        // Assert
        Assert.That(pieces, Is.EqualTo(whole));
        Assert.That(whole.Distinct().Count(), Is.GreaterThan(200), "bytes vary with position");
        Assert.That(stream.Read(new byte[10]), Is.Zero, "nothing after Length");
    }

    [Test]
    public void Zeros_ReadsExactlyLengthZeroBytes()
    {
        // Arrange
        using var stream = GeneratedStream.Zeros(10);
        var buffer = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        // Act
        var read = stream.Read(buffer);

        // Assert
        Assert.That(read, Is.EqualTo(10));
        Assert.That(buffer[..10], Is.All.Zero);
        Assert.That(buffer[10..], Is.All.EqualTo(0xFF));
    }

    [Test]
    public void Random_TwoStreams_Differ()
    {
        // Arrange
        var a = new byte[64];
        var b = new byte[64];

        // Act
        GeneratedStream.Random(64).ReadExactly(a);
        GeneratedStream.Random(64).ReadExactly(b);

        // Assert
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Pseudorandom_ZeroSeed_IsRefused()
    {
        // Act / Assert: xorshift's state 0 is a fixed point, which would be a stream of zeros.
        Assert.That(() => GeneratedStream.Pseudorandom(8, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
