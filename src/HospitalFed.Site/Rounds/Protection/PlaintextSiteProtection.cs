using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>
/// Protection "none": the clipped update leaves in the clear (benchmark baseline). Reached only
/// when the site's policy sets allowUnprotected; checked again here so no other path can send it.
/// </summary>
internal sealed class PlaintextSiteProtection : ISiteProtection
{
    private readonly SiteAgentContext _context;
    private readonly TimeProvider _time;

    public PlaintextSiteProtection(SiteAgentContext context, TimeProvider time)
    {
        _context = context;
        _time = time;
    }

    public IEnumerable<string> Vet(RoundInvitation invitation, TrainingPlan plan)
    {
        if (!_context.Policy.AllowUnprotected)
        {
            yield return "the plan is unprotected and this site's policy does not set allowUnprotected";
        }
    }

    public SiteReply Join(RoundInvitation invitation, float[] update, QuantizationPlan quantization)
    {
        // Sent as float32, the width plaintext FedAvg uses: the honest baseline for the secure protections.
        var values = new float[update.Length];
        var clipped = new double[update.Length];
        try
        {
            SegmentClipping.Clip(quantization, update, clipped);
            for (var i = 0; i < clipped.Length; i++)
            {
                values[i] = (float)clipped[i];
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(update.AsSpan()));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(clipped.AsSpan()));
        }

        var chunkValues = Math.Max(1, invitation.ChunkWords);
        var chunks = new List<ProtectedInputChunk>();
        for (var offset = 0; offset < values.Length; offset += chunkValues)
        {
            var plain = new PlainInputChunk { PlanId = invitation.PlanId, Round = invitation.Round, Sender = _context.Identity.Name, Offset = offset };
            plain.Values.AddRange(values.AsSpan(offset, Math.Min(chunkValues, values.Length - offset)).ToArray());
            chunks.Add(new ProtectedInputChunk { Plain = plain });
        }

        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var upload = LogEntries.Upload(invitation.Round, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
        var entry = LogEntry.Sign(_context.Identity, invitation.PlanId, upload, _time.GetUtcNow());
        return new SiteReply([new SiteMessage { UploadEntry = Google.Protobuf.ByteString.CopyFrom(LogLine.Encode(entry, null)) }], []) { ProtectedInput = chunks };
    }

    public SiteReply? Handle(SiteTask task) => null;

    public void EndRound()
    {
    }

    public void Dispose()
    {
    }
}
