using System.Security.Cryptography;
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
    /// <exception cref="OrchestratorException">Wrong phase, plan or round, a sender mismatch, or a refused CKKS or plain message.</exception>
    /// <exception cref="SecAggException">The secure-aggregation session refused the message (the session is unchanged).</exception>
    public IReadOnlyList<Outgoing> Receive(string sender, SiteMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        switch (message.MessageCase)
        {
            case SiteMessage.MessageOneofCase.SiteDecision:
                return AcceptDecision(sender, message.SiteDecision.Memory);
            case SiteMessage.MessageOneofCase.Decline:
                Check(sender, message.Decline.Sender, _protection.InvitationPhase);
                CheckRound(message.Decline.PlanId, message.Decline.Round);
                _context.Log.AppendSigned(_context.Aggregator, LogEntries.Dropout(Round, sender, "declined"));
                return Answered(sender);
            case SiteMessage.MessageOneofCase.Countersignature:
                return AcceptCountersignature(sender, message.Countersignature.Memory);
            case SiteMessage.MessageOneofCase.UploadEntry:
                Check(sender, sender, OrchestratorPhase.CollectingInputs);
                AcceptUpload(sender, message.UploadEntry.Memory);
                return Answered(sender);
            case SiteMessage.MessageOneofCase.None:
                throw new OrchestratorException($"'{sender}' sent an empty message.");
        }

        var (phase, signedAs) = _protection.Classify(message)
            ?? throw new OrchestratorException($"'{sender}' sent a {message.MessageCase} message, which a {_context.Plan.Protection} plan does not use.");
        Check(sender, signedAs, phase);
        return _protection.Receive(sender, message) ? Answered(sender) : [];
    }

    /// <summary>Accepts one chunk of <paramref name="sender"/>'s masked input; the phase closes when every expected input is complete.</summary>
    /// <exception cref="OrchestratorException">Wrong phase or a sender mismatch.</exception>
    /// <exception cref="SecAggException">The session refused the chunk (wrong offset, length, duplicate...).</exception>
    public IReadOnlyList<Outgoing> Receive(string sender, SecAggMaskedInputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(chunk);
        Check(sender, chunk.Sender, OrchestratorPhase.CollectingInputs);
        _protection.Receive(sender, chunk);
        return [];
    }

    /// <summary>Accepts one chunk of <paramref name="sender"/>'s CKKS-encrypted or plain input.</summary>
    /// <exception cref="OrchestratorException">Wrong phase, a sender mismatch, or a malformed chunk.</exception>
    public IReadOnlyList<Outgoing> Receive(string sender, ProtectedInputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(chunk);
        var signedAs = chunk.ChunkCase switch
        {
            ProtectedInputChunk.ChunkOneofCase.Ckks => chunk.Ckks.Sender,
            ProtectedInputChunk.ChunkOneofCase.Plain => chunk.Plain.Sender,
            _ => throw new OrchestratorException($"'{sender}' sent an empty input chunk."),
        };
        Check(sender, signedAs, OrchestratorPhase.CollectingInputs);
        _protection.Receive(sender, chunk);
        return [];
    }

    /// <summary>Logs the site's signed decision on the plan; once every invited site decided, the first round opens.</summary>
    private IReadOnlyList<Outgoing> AcceptDecision(string sender, ReadOnlyMemory<byte> line)
    {
        var entry = Decode(sender, line, "decision");
        if (entry.Kind != LogEntryKind.SiteDecision || entry.Author != sender || entry.PlanId != _context.Plan.Id)
        {
            throw new OrchestratorException($"'{sender}' sent a {entry.Kind} entry by '{entry.Author}' for plan {entry.PlanId}; its own decision on plan {_context.Plan.Id} was expected.");
        }

        if (_decisions.ContainsKey(sender) || !_context.Options.Sites.Contains(sender, StringComparer.Ordinal))
        {
            throw new OrchestratorException($"'{sender}' already decided on plan {_context.Plan.Id}, or is not invited.");
        }

        AppendSiteEntry(sender, entry); // the log checks the site's certificate, signature and body
        _decisions[sender] = entry.Body["accept"]!.GetValue<bool>();
        return Phase == OrchestratorPhase.WaitingForSites && EveryoneDecided() ? OpenFirstRound() : [];
    }

    private static LogEntry Decode(string sender, ReadOnlyMemory<byte> line, string what)
    {
        try
        {
            return LogLine.Decode(line, out _);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidDataException or CryptographicException)
        {
            throw new OrchestratorException($"The {what} entry of '{sender}' does not decode: {ex.Message}", ex);
        }
    }

    /// <summary>Logs the site's signed Upload entry once it matches the protected input actually received; only then does the input count.</summary>
    private void AcceptUpload(string sender, ReadOnlyMemory<byte> line)
    {
        var entry = Decode(sender, line, "upload");

        if (entry.Kind != LogEntryKind.Upload || entry.Author != sender || entry.PlanId != _context.Plan.Id || entry.Round != Round)
        {
            throw new OrchestratorException($"'{sender}' sent a {entry.Kind} entry by '{entry.Author}' for round {entry.Round}; an Upload entry of its own for round {Round} was expected.");
        }

        var (digest, bytes) = _protection.PendingUpload(sender);
        var expected = LogEntries.Upload(Round, digest, bytes).Body.ToJsonString();
        if (entry.Body.ToJsonString() != expected)
        {
            throw new OrchestratorException($"'{sender}' signed an upload that differs from the {bytes} protected bytes received.");
        }

        AppendSiteEntry(sender, entry); // the log checks the site's certificate and signature
        _protection.CommitUpload(sender);
    }

    private void AppendSiteEntry(string sender, LogEntry entry)
    {
        try
        {
            _context.Log.Append(entry);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HospitalFed.Crypto.Identity.IdentityException or CryptographicException)
        {
            throw new OrchestratorException($"The log refused the {entry.Kind} entry of '{sender}': {ex.Message}", ex);
        }
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
