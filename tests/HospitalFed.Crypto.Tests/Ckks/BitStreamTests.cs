using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

/// <summary>The packed bit streams every CKKS object is written in: exact round trips at every width, strict ends.</summary>
public sealed class BitStreamTests
{
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(45)]
    [TestCase(50)]
    [TestCase(57)]
    [TestCase(58)]
    [TestCase(60)]
    [TestCase(61)]
    public void ReadAll_WhatWriteAllWrote_SameValuesAndFinished(int bits)
    {
        // Arrange: random values of exactly `bits` bits, an odd count so the stream ends mid-byte.
        var random = new Random(bits);
        var values = new ulong[1001];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ulong)random.NextInt64() & ((1UL << bits) - 1);
        }

        var bytes = new byte[BitWriter.ByteCount((long)values.Length * bits)];
        var writer = new BitWriter(bytes);
        writer.WriteAll(values, bits);
        writer.Flush();

        // Act: the bulk read, and value by value.
        var bulk = new ulong[values.Length];
        var reader = new BitReader(bytes);
        reader.ReadAll(bulk, bits);
        reader.EnsureFinished();
        var single = new ulong[values.Length];
        var one = new BitReader(bytes);
        for (var i = 0; i < single.Length; i++)
        {
            single[i] = one.Read(bits);
        }

        one.EnsureFinished();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bulk, Is.EqualTo(values));
            Assert.That(single, Is.EqualTo(values));
        });
    }

    [Test]
    public void Read_PastTheEnd_ThrowsFormatException()
    {
        var bytes = new byte[BitWriter.ByteCount(3 * 45)];
        var reader = new BitReader(bytes);
        reader.Read(45);
        reader.Read(45);
        reader.Read(45);

        var ex = Assert.Throws<FormatException>(() => new BitReader(bytes).ReadAll(new ulong[4], 45));

        Assert.That(ex!.Message, Does.Contain("ends inside"));
    }

    [Test]
    public void EnsureFinished_NonZeroPaddingOrUnreadBytes_ThrowsFormatException()
    {
        // Arrange: three 45-bit values fill 135 bits, so the last byte has one padding bit... set it.
        var bytes = new byte[BitWriter.ByteCount(3 * 45)];
        bytes[^1] = 0x80;
        var longer = new byte[bytes.Length + 1];

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => Finish(bytes, 3), Throws.TypeOf<FormatException>().With.Message.Contains("padding"));
            Assert.That(() => Finish(longer, 3), Throws.TypeOf<FormatException>().With.Message.Contains("trailing"));
            Assert.That(() => Finish(new byte[bytes.Length], 3), Throws.Nothing);
        });
    }

    [Test]
    public void ReadAllBelow_OneValueAtTheBound_ReturnsItsIndex()
    {
        // Arrange
        const ulong bound = (1UL << 50) - 27;
        var values = Enumerable.Range(0, 300).Select(i => (ulong)i * 1_000_003UL).ToArray();
        values[217] = bound;
        var bytes = new byte[BitWriter.ByteCount(values.Length * 50L)];
        var writer = new BitWriter(bytes);
        writer.WriteAll(values, 50);
        writer.Flush();

        // Act
        var index = new BitReader(bytes).ReadAllBelow(new ulong[values.Length], 50, bound);
        values[217] = bound - 1;
        writer = new BitWriter(bytes);
        writer.WriteAll(values, 50);
        writer.Flush();
        var none = new BitReader(bytes).ReadAllBelow(new ulong[values.Length], 50, bound);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(index, Is.EqualTo(217));
            Assert.That(none, Is.EqualTo(-1));
        });
    }

    private static void Finish(byte[] bytes, int count)
    {
        var reader = new BitReader(bytes);
        reader.ReadAll(new ulong[count], 45);
        reader.EnsureFinished();
    }
}
