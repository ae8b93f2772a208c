using System.Text;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Tests.Canonical;

public sealed class CanonicalJsonTests
{
    [Test]
    public void Canonicalize_ReorderedAndSpaced_GivesSortedCompactBytes()
    {
        var json = "{ \"b\" : [1, 2.50, {\"z\":true, \"a\":null}],\n \"a\": \"é\\u0041\" }"u8;

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(json));

        Assert.That(canonical, Is.EqualTo("{\"a\":\"éA\",\"b\":[1,2.5,{\"a\":null,\"z\":true}]}"));
    }

    [Test]
    public void Canonicalize_CanonicalInput_IsIdempotent()
    {
        var once = CanonicalJson.Canonicalize("{\"x\":1e-7,\"y\":12345678901234567890,\"z\":-0.1,\"w\":3.0}"u8);

        var twice = CanonicalJson.Canonicalize(once);

        Assert.That(twice, Is.EqualTo(once));
        Assert.That(Encoding.UTF8.GetString(once), Does.Contain("\"w\":3,"));
    }

    [TestCase("{\"a\":1,\"a\":2}")]
    [TestCase("{\"a\":1,}")]
    [TestCase("{\"a\":1} // comment")]
    [TestCase("{\"a\":")]
    public void Parse_MalformedOrDuplicateKeys_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Parse(json));
    }
}
