namespace HospitalFed.IntegrationTests;

/// <summary>
/// The aggregator SIGKILLed at each phase of round 2 and restarted, with real processes on loopback.
/// One site's test-only fault hook (HFED_TEST_FAULT) pauses it at the named point, so the round is
/// certainly in that phase when the test kills the aggregator; the restarted aggregator aborts round
/// 2 and the plan completes with rounds 1 and 3.
/// </summary>
[TestFixture]
public sealed class AggregatorRestartPhaseTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(2);

    [TestCase("Invitation", TestName = "Federation_AggregatorRestartedDuringKeyAdvertisement_PlanCompletes")]
    [TestCase("upload", TestName = "Federation_AggregatorRestartedMidUpload_PlanCompletes")]
    [TestCase("Unmask", TestName = "Federation_AggregatorRestartedDuringUnmasking_PlanCompletes")]
    public async Task Federation_AggregatorRestartedAtPhase_PlanCompletes(string point)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-it-restart-phase-").FullName;
        using var files = SiteCrashPhaseTests.Files(directory, "pairwise");
        var first = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        HfedProcess? second = null;
        var sites = Hospitals.Select(n => SiteCrashPhaseTests.Site(files, n, n == "va" ? $"pause@{point}/2" : null)).ToList();
        try
        {
            // Act: kill the aggregator while va pauses at the point named, then start it again.
            await sites[3].WaitForLineAsync($"TEST FAULT pause@{point} injected at round 2", LineTimeout);
            first.Kill();
            second = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
            var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            var secondCode = await second.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert
            var output = second.Output;
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
            Assert.That(secondCode, Is.Zero, output);
            Assert.That(output, Does.Contain("round 2 aborted (aggregator restart)").And.Contain("round 3: 4 contributors").And.Contain("plan completed"));
            Assert.That(Directory.GetFiles(Path.Combine(directory, "uploads")), Is.Empty, "no spooled upload is left behind");
            var log = await SiteCrashPhaseTests.VerifiedRoundLogAsync(files);
            Assert.That(log.Where(e => e.Kind == Ledger.Log.LogEntryKind.Model).Select(e => e.Round), Is.EqualTo(new[] { 1L, 3L }));
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            first.Dispose();
            second?.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }
}
