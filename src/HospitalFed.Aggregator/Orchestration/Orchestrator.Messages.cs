using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Accepting site messages.</summary>
public sealed partial class Orchestrator
{
    /// <summary>
    /// Accepts one protocol message from <paramref name="sender"/> (the name on its mutual-TLS
    /// certificate, which must match the name the message is signed under).
    /// </summary>
    /// <returns>The tasks to push when this message completed the phase.</returns>
    /// <exception cref="OrchestratorException">Wrong phase, plan or round, or a sender mismatch.</exception>
    /// <exception cref="SecAggException">The secure-aggregation session refused the message (the session is unchanged).</exception>
    public IReadOnlyList<Outgoing> Receive(string sender, SiteMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        var session = _session ?? throw new OrchestratorException($"No round is open; the message from '{sender}' is refused.");
        switch (message.MessageCase)
        {
            case SiteMessage.MessageOneofCase.AdvertiseKeys:
                Check(sender, message.AdvertiseKeys.Sender, OrchestratorPhase.AdvertisingKeys);
                session.Receive(message.AdvertiseKeys);
                break;
            case SiteMessage.MessageOneofCase.ShareKeys:
                Check(sender, message.ShareKeys.Sender, OrchestratorPhase.SharingKeys);
                session.Receive(message.ShareKeys);
                break;
            case SiteMessage.MessageOneofCase.ConsistencyCheck:
                Check(sender, message.ConsistencyCheck.Sender, OrchestratorPhase.CheckingConsistency);
                session.Receive(message.ConsistencyCheck);
                break;
            case SiteMessage.MessageOneofCase.UnmaskResponse:
                Check(sender, message.UnmaskResponse.Sender, OrchestratorPhase.Unmasking);
                session.Receive(message.UnmaskResponse);
                break;
            case SiteMessage.MessageOneofCase.Decline:
                Check(sender, message.Decline.Sender, OrchestratorPhase.AdvertisingKeys);
                CheckRound(message.Decline.PlanId, message.Decline.Round);
                _context.Log.AppendSigned(_context.Aggregator, LogEntries.Dropout(Round, sender, "declined"));
                break;
            default:
                throw new OrchestratorException($"'{sender}' sent an empty message.");
        }

        return Answered(sender);
    }

    /// <summary>Accepts one chunk of <paramref name="sender"/>'s masked input; the phase closes when every expected input is complete.</summary>
    /// <exception cref="OrchestratorException">Wrong phase or a sender mismatch.</exception>
    /// <exception cref="SecAggException">The session refused the chunk (wrong offset, length, duplicate...).</exception>
    public IReadOnlyList<Outgoing> Receive(string sender, SecAggMaskedInputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(chunk);
        Check(sender, chunk.Sender, OrchestratorPhase.CollectingInputs);
        _session!.Receive(chunk);
        var dimension = _invitation!.Quantization.Sum(s => (long)s.Length);
        return chunk.Offset + (chunk.Words.Length / sizeof(uint)) == dimension ? Answered(sender) : [];
    }

    private IReadOnlyList<Outgoing> Answered(string sender)
    {
        _awaiting.Remove(sender);
        _due.Remove(sender);
        return _awaiting.Count == 0 ? ClosePhase() : [];
    }

    private void Check(string sender, string signedAs, OrchestratorPhase phase)
    {
        if (!string.Equals(sender, signedAs, StringComparison.Ordinal))
        {
            throw new OrchestratorException($"'{sender}' sent a message in the name of '{signedAs}'.");
        }

        if (Phase != phase)
        {
            throw new OrchestratorException($"'{sender}' sent a {phase} message, but round {Round} is in phase {Phase}.");
        }

        if (!_awaiting.Contains(sender))
        {
            throw new OrchestratorException($"'{sender}' is not expected to answer in phase {Phase} of round {Round} (already answered, or not a participant).");
        }
    }

    private void CheckRound(string planId, long round)
    {
        if (planId != _context.Plan.Id || round != Round)
        {
            throw new OrchestratorException($"The message is for plan {planId} round {round}; the open round is {Round} of plan {_context.Plan.Id}.");
        }
    }
}
