using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>
/// Protection "none": sites send their clipped update in the clear and the aggregator adds them.
/// The baseline the secure protections are benchmarked against (float32 words, as plaintext FedAvg
/// sends; the sum is kept in float64); the aggregator sees every site's
/// update, which is why sites refuse such plans unless their policy allows them.
/// </summary>
internal sealed class PlaintextProtection : IRoundProtection
{
    private readonly TrainingPlan _plan;
    private readonly Dictionary<string, (float[] Values, int Received)> _pending = new(StringComparer.Ordinal);
    private readonly List<string> _contributors = [];
    private double[]? _sum;
    private string[] _participants = [];
    private long _round;

    public PlaintextProtection(TrainingPlan plan) => _plan = plan;

    public OrchestratorPhase InvitationPhase => OrchestratorPhase.CollectingInputs;

    public void OpenRound(RoundInvitation invitation, IReadOnlyList<string> participants, QuantizationPlan quantization)
    {
        EndRound();
        _round = invitation.Round;
        _participants = [.. participants];
        _sum = new double[quantization.Dimension];
        invitation.Threshold = Math.Max(2, _plan.MinSites);
    }

    public (OrchestratorPhase Phase, string SignedAs)? Classify(SiteMessage message) => null;

    public bool Receive(string sender, SiteMessage message) =>
        throw new OrchestratorException($"'{sender}' sent a {message.MessageCase} message to an unprotected round.");

    public void Receive(string sender, SecAggMaskedInputChunk chunk) =>
        throw new OrchestratorException($"'{sender}' sent a masked chunk; this plan's inputs are plain.");

    public void Receive(string sender, ProtectedInputChunk chunk)
    {
        var sum = _sum ?? throw new OrchestratorException("No unprotected round is open.");
        if (chunk.ChunkCase != ProtectedInputChunk.ChunkOneofCase.Plain)
        {
            throw new OrchestratorException($"'{sender}' sent a {chunk.ChunkCase} chunk; this plan's inputs are plain.");
        }

        var plain = chunk.Plain;
        if (plain.PlanId != _plan.Id || plain.Round != _round)
        {
            throw new OrchestratorException($"'{sender}' sent a chunk for plan {plain.PlanId} round {plain.Round}; round {_round} of plan {_plan.Id} is open.");
        }

        var (values, received) = _pending.TryGetValue(sender, out var pending) ? pending : (new float[sum.Length], 0);
        if (plain.Offset != received || received + plain.Values.Count > values.Length || plain.Values.Count == 0)
        {
            throw new OrchestratorException($"'{sender}' sent {plain.Values.Count} values at offset {plain.Offset}; {received} of {values.Length} were received so far.");
        }

        plain.Values.CopyTo(values, received);
        _pending[sender] = (values, received + plain.Values.Count);
    }

    public (string Digest, long Bytes) PendingUpload(string sender)
    {
        if (!_pending.TryGetValue(sender, out var pending) || pending.Received != pending.Values.Length)
        {
            throw new OrchestratorException($"'{sender}' signed an upload before sending its whole input.");
        }

        var bytes = MemoryMarshal.AsBytes(pending.Values.AsSpan());
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    public void CommitUpload(string sender)
    {
        _pending.Remove(sender, out var pending);
        var sum = _sum!;
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += pending.Values[i];
        }

        _contributors.Add(sender);
    }

    public string StageName(OrchestratorPhase phase) => "upload";

    public ProtectionStep Close(OrchestratorPhase phase, IReadOnlyCollection<string> silent)
    {
        if (phase != OrchestratorPhase.CollectingInputs || _sum is null)
        {
            throw new OrchestratorException($"No unprotected phase to close in {phase}.");
        }

        var contributors = _contributors.Order(StringComparer.Ordinal).ToArray();
        if (contributors.Length < Math.Max(2, _plan.MinSites))
        {
            throw new RoundAbortedException($"{contributors.Length} sites uploaded; the plan requires {_plan.MinSites}");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(_sum.AsSpan())));
        var dropped = _participants.Except(contributors, StringComparer.Ordinal).ToArray();
        return new(OrchestratorPhase.Completed, new Dictionary<string, SiteTask>())
        {
            Participants = contributors,
            Sum = new RoundSum(_sum, digest, contributors, dropped),
        };
    }

    public void EndRound()
    {
        _pending.Clear();
        _contributors.Clear();
        _sum = null;
    }

    public void Dispose() => EndRound();
}
