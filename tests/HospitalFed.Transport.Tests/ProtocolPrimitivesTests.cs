using HospitalFed.Transport.Internal;

namespace HospitalFed.Transport.Tests;

/// <summary>grpc-timeout and grpc-message encodings (PROTOCOL-HTTP2.md "Requests", "Responses").</summary>
public sealed class ProtocolPrimitivesTests
{
    [TestCase("1n", 0)]
    [TestCase("100m", 100 * TimeSpan.TicksPerMillisecond)]
    [TestCase("5S", 5 * TimeSpan.TicksPerSecond)]
    [TestCase("2M", 2 * TimeSpan.TicksPerMinute)]
    [TestCase("1H", TimeSpan.TicksPerHour)]
    [TestCase("250u", 2500)]
    [TestCase("99999999m", 99_999_999 * TimeSpan.TicksPerMillisecond)]
    public void GrpcTimeout_ValidValue_Parses(string value, long ticks)
    {
        Assert.Multiple(() =>
        {
            Assert.That(GrpcTimeout.TryParse(value, out var timeout), Is.True);
            Assert.That(timeout.Ticks, Is.EqualTo(ticks));
        });
    }

    [TestCase("")]
    [TestCase("m")]
    [TestCase("10")]
    [TestCase("10x")]
    [TestCase("-1S")]
    [TestCase("123456789S")]
    [TestCase("1.5S")]
    public void GrpcTimeout_InvalidValue_IsRejected(string value) =>
        Assert.That(GrpcTimeout.TryParse(value, out _), Is.False);

    [TestCase(0L, "1n")]
    [TestCase(-5L, "1n")]
    [TestCase(100 * TimeSpan.TicksPerMillisecond, "100m")]
    [TestCase(30 * TimeSpan.TicksPerSecond, "30S")]
    [TestCase(1234567 * TimeSpan.TicksPerMillisecond, "1240S")]
    [TestCase(1001 * TimeSpan.TicksPerMillisecond, "1010m")]
    [TestCase(1, "100n")]
    [TestCase(2 * TimeSpan.TicksPerHour, "2H")]
    public void GrpcTimeout_Format_RoundsUpToThreeSignificantFigures(long ticks, string expected) =>
        Assert.That(GrpcTimeout.Format(TimeSpan.FromTicks(ticks)), Is.EqualTo(expected));

    [Test]
    public void GrpcTimeout_FormatThenParse_NeverShortensTheDeadline()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 1000; i++)
        {
            var timeout = TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerDay * 30));
            Assert.That(GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var parsed), Is.True);
            Assert.That(parsed, Is.GreaterThanOrEqualTo(timeout).And.LessThanOrEqualTo(timeout * 1.01 + TimeSpan.FromTicks(1)));
        }
    }

    [TestCase("plain text", "plain text")]
    [TestCase("100%", "100%25")]
    [TestCase("é", "%C3%A9")]
    [TestCase("line\nbreak", "line%0Abreak")]
    [TestCase("emoji 🏥", "emoji %F0%9F%8F%A5")]
    public void PercentEncoding_Encode_MatchesTheSpec(string value, string encoded) =>
        Assert.That(PercentEncoding.Encode(value), Is.EqualTo(encoded));

    [TestCase("%C3%A9t%C3%A9", "été")]
    [TestCase("bad %ZZ escape", "bad %ZZ escape")]
    [TestCase("trailing %4", "trailing %4")]
    [TestCase("no escapes", "no escapes")]
    public void PercentEncoding_Decode_IsLenient(string encoded, string value) =>
        Assert.That(PercentEncoding.Decode(encoded), Is.EqualTo(value));
}
