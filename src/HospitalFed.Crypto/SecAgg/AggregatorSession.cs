using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

/// <summary>
/// The aggregator's side of a secure-aggregation round: collects each stage's messages,
/// closes the stage (the host decides when, for example at a deadline) and returns what to send
/// next, and finally removes the masks from the running sum. It never touches the network, and
/// it sums masked inputs as they stream in, so its memory is one d-word vector, never n x d.
/// </summary>
/// <remarks>
/// Each Receive method throws <see cref="SecAggException"/> and leaves the session unchanged
/// when one message is refused (wrong stage, plan, round, sender, duplicate, bad signature).
/// A Close method or <see cref="Finish"/> that cannot continue safely (fewer than t parties, a
/// partial upload, inconsistent shares) aborts the round. Not thread-safe.
/// </remarks>
public sealed partial class AggregatorSession : IDisposable
{
    private readonly SecAggParameters _parameters;
    private readonly ConsortiumTrust _trust;
    private readonly TimeProvider _time;
    private readonly SortedDictionary<int, (SecAggAdvertiseKeys Message, PeerKeys Keys)> _advertised = [];
    private readonly SortedDictionary<int, SecAggShareKeys> _shared = [];
    private bool _disposed;

    /// <summary>Creates the session.</summary>
    /// <param name="parameters">The round's parameters.</param>
    /// <param name="trust">The consortium trust every site certificate is checked against.</param>
    /// <param name="time">The clock for certificate validity; <see cref="TimeProvider.System"/> by default.</param>
    public AggregatorSession(SecAggParameters parameters, ConsortiumTrust trust, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(trust);
        _parameters = parameters;
        _trust = trust;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The current stage.</summary>
    public AggregatorStage Stage { get; private set; }

    /// <summary>Stage 0: accepts one site's key advertisement after verifying its certificate and signature.</summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; unknown or repeated sender; invalid certificate, signature or key.</exception>
    public void Receive(SecAggAdvertiseKeys message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Expect(AggregatorStage.CollectingKeys, message.PlanId, message.Round, $"the key advertisement of '{message.Sender}'");
        var index = SecAggMessages.IndexOf(_parameters, message.Sender, "a key advertisement");
        if (_advertised.ContainsKey(index))
        {
            throw new SecAggException(SecAggFailure.Duplicate, $"'{message.Sender}' already advertised keys for round {_parameters.Round}");
        }

        var keys = SecAggMessages.VerifyAdvertisement(_parameters, _trust, _time.GetUtcNow(), message);
        _advertised[index] = (message.Clone(), keys);
    }

    /// <summary>Closes stage 0: U1 is the set of accepted advertisements.</summary>
    /// <returns>The broadcast for every site in U1.</returns>
    /// <exception cref="SecAggException">Wrong stage; or (aborting) |U1| &lt; t.</exception>
    public SecAggAdvertisedKeys CloseKeyAdvertisement()
    {
        Expect(AggregatorStage.CollectingKeys);
        RequireAtLeastThreshold(_advertised.Count, "U1 (sites that advertised keys)");
        var broadcast = new SecAggAdvertisedKeys { PlanId = _parameters.PlanId, Round = _parameters.Round };
        broadcast.Keys.AddRange(_advertised.Values.Select(a => a.Message.Clone()));
        Stage = AggregatorStage.CollectingShares;
        return broadcast;
    }

    /// <summary>Stage 1: accepts one site's sealed shares, which must go to exactly its holders in U1.</summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; sender not in U1; repeated; shares for the wrong recipients or malformed.</exception>
    public void Receive(SecAggShareKeys message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Expect(AggregatorStage.CollectingShares, message.PlanId, message.Round, $"the shares of '{message.Sender}'");
        var sender = SecAggMessages.IndexOf(_parameters, message.Sender, "a share message");
        if (!_advertised.ContainsKey(sender))
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"'{message.Sender}' sent shares but is not in U1");
        }

        if (_shared.ContainsKey(sender))
        {
            throw new SecAggException(SecAggFailure.Duplicate, $"'{message.Sender}' already sent shares for round {_parameters.Round}");
        }

        var expected = _parameters.Graph.NeighboursOf(sender).Where(_advertised.ContainsKey).Select(i => _parameters.Participants[i]).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var share in message.Shares)
        {
            if (share.Sender != message.Sender || !expected.Contains(share.Recipient) || !seen.Add(share.Recipient))
            {
                throw new SecAggException(SecAggFailure.Malformed, $"the shares of '{message.Sender}' include one from '{share.Sender}' to '{share.Recipient}', which is not one of its holders in U1 or is repeated");
            }
        }

        if (seen.Count != expected.Count)
        {
            throw new SecAggException(SecAggFailure.Malformed, $"the shares of '{message.Sender}' reach {seen.Count} of its {expected.Count} holders in U1");
        }

        _shared[sender] = message.Clone();
    }

    /// <summary>Closes stage 1: U2 is the set of sites whose shares arrived. Allocates the d-word running sum.</summary>
    /// <returns>One delivery per site in U2, holding the shares addressed to it by other members of U2.</returns>
    /// <exception cref="SecAggException">Wrong stage; or (aborting) |U2| &lt; t.</exception>
    public IReadOnlyList<SecAggShareDelivery> CloseShareKeys()
    {
        Expect(AggregatorStage.CollectingShares);
        RequireAtLeastThreshold(_shared.Count, "U2 (sites that shared keys)");
        var deliveries = _shared.Keys.ToDictionary(
            i => _parameters.Participants[i],
            i => new SecAggShareDelivery { PlanId = _parameters.PlanId, Round = _parameters.Round, Recipient = _parameters.Participants[i] },
            StringComparer.Ordinal);
        foreach (var share in _shared.Values.SelectMany(m => m.Shares))
        {
            if (deliveries.TryGetValue(share.Recipient, out var delivery))
            {
                delivery.Shares.Add(share.Clone());
            }
        }

        _sum = new uint[_parameters.Dimension];
        _received = new long[_parameters.Participants.Count];
        Stage = AggregatorStage.CollectingMaskedInputs;
        return [.. deliveries.Values];
    }

    /// <summary>Releases the certificates and erases the running sum unless the round completed (the result owns it then). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, keys) in _advertised.Values)
        {
            keys.Certificate.Dispose();
        }

        if (Stage != AggregatorStage.Completed && _sum is not null)
        {
            Array.Clear(_sum); // a partially unmasked sum is erased; a finished one belongs to the result
        }

        _sum = null;
    }

    private void Expect(AggregatorStage stage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Stage != stage)
        {
            throw new SecAggException(SecAggFailure.WrongStage, $"the aggregator is at stage {Stage}; this step needs stage {stage}");
        }
    }

    private void Expect(AggregatorStage stage, string planId, long round, string what)
    {
        Expect(stage);
        SecAggMessages.CheckPlanAndRound(_parameters, planId, round, what);
    }

    private void RequireAtLeastThreshold(int count, string set)
    {
        if (count < _parameters.Threshold)
        {
            Stage = AggregatorStage.Aborted;
            throw new SecAggException(SecAggFailure.TooFewSurvivors, $"round {_parameters.Round} aborted: {set} has {count} members; t = {_parameters.Threshold}");
        }
    }
}
