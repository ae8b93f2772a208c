using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Tests.Data;

public sealed class RowErrorTests
{
    [Test]
    public void ToString_NamesPlaceReasonAndValue_ForThePersonFixingTheFile()
    {
        var error = new RowError("site.csv", 2, 1, "age", "\"6x3\"", "is not a number");

        Assert.That(error.ToString(), Is.EqualTo("site.csv:2:1: column 'age': is not a number (value \"6x3\")"));
    }

    [Test]
    public void ToRedactedString_KeepsPlaceAndReason_DropsThePatientValue()
    {
        var error = new RowError("site.csv", 2, 1, "age", "\"6x3\"", "is not a number");

        var redacted = error.ToRedactedString();

        Assert.That(redacted, Is.EqualTo("site.csv:2:1: column 'age': is not a number"));
        Assert.That(redacted, Does.Not.Contain("6x3"));
    }

    [Test]
    public void ToRedactedString_LineLevelError_HasNoColumnName()
    {
        var error = new RowError("site.csv", 7, 1, null, "0xFF", "invalid UTF-8");

        Assert.That(error.ToRedactedString(), Is.EqualTo("site.csv:7:1: invalid UTF-8"));
    }
}
