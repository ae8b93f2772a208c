using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>A realistic log built through the service API, exported as JSON Lines, with a verifier for it.</summary>
internal sealed class SampleLog : IDisposable
{
    public SampleLog(int sites = 3, long rounds = 2, bool perRoundApproval = false, int countersigners = 2, System.Text.Json.Nodes.JsonObject? privacy = null)
    {
        Simulation = ConsortiumSimulation.Create(sites);
        Plan = ConsortiumSimulation.Plan(rounds, minSites: Math.Min(sites, 3), perRoundApproval: perRoundApproval, privacy: privacy);
        Store = new MemoryLogStore();
        Log = Simulation.BuildLog(Store, Plan, countersigners);
    }

    private LogVerifier? _verifier;

    public ConsortiumSimulation Simulation { get; }

    public TrainingPlan Plan { get; }

    public MemoryLogStore Store { get; }

    public RoundLog Log { get; }

    public List<byte[]> Lines => [.. Store.ReadAll().Select(l => l.ToArray())];

    public byte[] File => [.. Store.ReadAll().SelectMany(l => l.Append((byte)'\n'))];

    public LogVerifier Verifier() => _verifier ??= new(Simulation.Root, Simulation.Revocation);

    public AuditResult VerifyFile(byte[] file, IEnumerable<LogEntry>? held = null)
    {
        IReadOnlyList<byte[]> lines;
        try
        {
            lines = LogVerifier.SplitLines(file);
        }
        catch (FormatException ex)
        {
            return new AuditResult(new AuditFailure(-1, "format", ex.Message), new AuditSummary());
        }

        return Verifier().Verify(lines, held);
    }

    public void Dispose()
    {
        Store.Dispose();
        Simulation.Dispose();
    }
}
