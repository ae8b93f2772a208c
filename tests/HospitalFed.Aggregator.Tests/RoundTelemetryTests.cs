using System.Diagnostics;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Worker;
using HospitalFed.Transport.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class RoundTelemetryTests
{
    [Test]
    public async Task Runner_PlanCompletes_ExportsRoundsPhasesBytesAndGrpcCallsToOpenTelemetry()
    {
        // Arrange: the in-memory exporters listen to the HospitalFed meter and activity source, as
        // the OTLP exporter does when the config's telemetry section is enabled.
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(HospitalFedTelemetry.Name).AddInMemoryExporter(metrics).Build()!;
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(HospitalFedTelemetry.Name).AddInMemoryExporter(spans).Build()!;
        using var federation = new InProcessFederation(rounds: 3);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await FederationHost.StartAsync(federation, cts.Token);
        var plan = federation.Plan.Id;

        // Act: a statistics round and two training rounds over loopback.
        var workers = federation.Agents.Keys.Select(name => new SiteWorker(federation.Agents[name], host.Channel(name), plan).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await host.Runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));
        meters.ForceFlush();
        tracer.ForceFlush();

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        var rounds = Points(metrics, "hfed.rounds").Where(p => Tag(p, HospitalFedTelemetry.Tags.Plan) == plan).ToList();
        var phases = Points(metrics, "hfed.phase.duration").Where(p => Tag(p, HospitalFedTelemetry.Tags.Plan) == plan).ToList();
        var bytes = Points(metrics, "hfed.bytes").ToList();
        var calls = Points(metrics, "hfed.grpc.calls").ToList();
        var roundSpans = spans.Where(s => s.OperationName == "hfed.round" && Equals(s.GetTagItem(HospitalFedTelemetry.Tags.Plan), plan)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rounds.Where(p => Tag(p, HospitalFedTelemetry.Tags.Outcome) == "completed").Sum(p => p.GetSumLong()), Is.EqualTo(3), "hfed.rounds, completed");
            Assert.That(phases.Select(p => Tag(p, HospitalFedTelemetry.Tags.Phase)), Is.SupersetOf(new[] { "advertising keys", "sharing keys", "collecting inputs", "unmasking" }));
            Assert.That(phases.All(p => p.GetHistogramCount() > 0), Is.True, "every phase tagged was timed");
            Assert.That(bytes.Where(p => Tag(p, HospitalFedTelemetry.Tags.Kind) == "upload").Sum(p => p.GetSumLong()), Is.GreaterThan(0), "upload bytes received");
            Assert.That(bytes.Where(p => Tag(p, HospitalFedTelemetry.Tags.Kind) == "task").Sum(p => p.GetSumLong()), Is.GreaterThan(0), "task bytes sent");
            Assert.That(calls.Where(p => Tag(p, HospitalFedTelemetry.Tags.Method)?.EndsWith("/Submit", StringComparison.Ordinal) == true).Sum(p => p.GetSumLong()), Is.GreaterThan(0), "Submit calls counted");
            Assert.That(roundSpans.Select(s => s.GetTagItem(HospitalFedTelemetry.Tags.Round)), Is.EquivalentTo(new object[] { 1L, 2L, 3L }));
            Assert.That(roundSpans.All(s => s.Parent is null && s.ParentSpanId == default), Is.True, "a round span is a root, not a child of the gRPC call it began in");
            var phaseSpans = spans.Where(s => s.OperationName == "hfed.phase" && roundSpans.Any(r => r.SpanId == s.ParentSpanId)).ToList();
            Assert.That(phaseSpans, Has.Count.GreaterThanOrEqualTo(3 * 4), "phase spans under the round spans");
            Assert.That(spans.Any(s => s.OperationName == "hfed.grpc"), Is.True, "gRPC call spans");
        });
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<Metric> metrics, string name)
    {
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
