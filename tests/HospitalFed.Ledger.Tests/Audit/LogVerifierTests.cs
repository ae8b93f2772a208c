namespace HospitalFed.Ledger.Tests.Audit;

public sealed class LogVerifierTests
{
    [Test]
    public void Verify_UntouchedLog_PassesWithSummary()
    {
        using var sample = new SampleLog(sites: 3, rounds: 2);

        var result = sample.VerifyFile(sample.File);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
        Assert.That(result.Summary.Rounds, Has.Count.EqualTo(2));
        Assert.That(result.Summary.Rounds.All(r => r.Complete), Is.True);
        Assert.That(result.Summary.PlanApprovers, Has.Count.EqualTo(2));
        Assert.That(result.Summary.Root, Is.EqualTo(Convert.ToHexStringLower(sample.Log.Root())));
    }
}
