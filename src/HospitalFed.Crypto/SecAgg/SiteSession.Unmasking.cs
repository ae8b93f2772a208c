using Google.Protobuf;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

public sealed partial class SiteSession
{
    /// <summary>
    /// Stage 3 (ConsistencyCheck): checks the survivor set U3 and signs it, so the aggregator
    /// cannot later show different sites different survivor sets (Bonawitz et al. 2017, Fig. 4
    /// round 3, active variant).
    /// </summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; or (aborting) a survivor set that is unsorted, names non-participants, omits this site, has fewer than t members, or names a neighbour that never shared keys with this site.</exception>
    public SecAggConsistencyCheck CheckConsistency(SecAggSurvivorSet survivors)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        Expect(SiteStage.InputSent, survivors.PlanId, survivors.Round, "the survivor set");
        return AbortOnFailure(() =>
        {
            var set = survivors.Survivors.ToArray();
            for (var i = 0; i < set.Length; i++)
            {
                var index = _parameters.IndexOf(set[i]);
                if (i > 0 && string.CompareOrdinal(set[i - 1], set[i]) >= 0)
                {
                    throw Refuse(SecAggFailure.Malformed, "the survivor set is not strictly sorted");
                }

                if (index != _index && !_peers.ContainsKey(index))
                {
                    throw Refuse(SecAggFailure.InconsistentSurvivors, $"the survivor set names '{set[i]}', who did not advertise keys");
                }

                if (_parameters.Graph.AreNeighbours(_index, index) && !_held.ContainsKey(index))
                {
                    throw Refuse(SecAggFailure.InconsistentSurvivors, $"the survivor set names neighbour '{set[i]}', who never sent this site shares");
                }
            }

            if (Array.BinarySearch(set, Name, StringComparer.Ordinal) < 0)
            {
                throw Refuse(SecAggFailure.InconsistentSurvivors, "the survivor set leaves out this site, whose masked input was sent");
            }

            if (set.Length < _parameters.Threshold)
            {
                throw Refuse(SecAggFailure.TooFewSurvivors, $"|U3| = {set.Length} < t = {_parameters.Threshold}");
            }

            var binding = new Identity.MessageBinding(_parameters.PlanId, _parameters.Round, Name, Identity.MessageBinding.Broadcast);
            var signature = _identity.Sign(SecAggPurposes.ConsistencyCheck, binding, SecAggMessages.SurvivorPayload(set));
            _signedSurvivors = set;
            Stage = SiteStage.ConsistencySigned;
            return new SecAggConsistencyCheck { PlanId = _parameters.PlanId, Round = _parameters.Round, Sender = Name, Signature = ByteString.CopyFrom(signature) };
        });
    }

    /// <summary>
    /// Stage 4 (Unmasking): after checking at least t consistency signatures on the very survivor
    /// set this site signed, reveals for each holder-peer j the share of b_j if j survived or of
    /// s_j^SK if j dropped, never both (Bonawitz et al. 2017, Fig. 4 round 4).
    /// </summary>
    /// <exception cref="SecAggException">Wrong stage, plan, round or recipient; or (aborting) a survivor set other than the signed one, a site listed as both survivor and dropped, a missing, repeated or invalid signature, or fewer than t signatures.</exception>
    public SecAggUnmaskResponse Unmask(SecAggUnmaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Expect(SiteStage.ConsistencySigned, request.PlanId, request.Round, "the unmask request");
        if (!string.Equals(request.Recipient, Name, StringComparison.Ordinal))
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"an unmask request for '{request.Recipient}' reached site '{Name}'");
        }

        return AbortOnFailure(() =>
        {
            var survivors = _signedSurvivors!;
            if (!request.Survivors.SequenceEqual(survivors, StringComparer.Ordinal))
            {
                throw Refuse(SecAggFailure.InconsistentSurvivors, "the survivor set differs from the one this site signed");
            }

            var survivorSet = new HashSet<string>(survivors, StringComparer.Ordinal);
            var dropped = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in request.Dropped)
            {
                if (survivorSet.Contains(name))
                {
                    throw Refuse(SecAggFailure.BothSharesRequested, $"'{name}' is listed as survivor and as dropped: revealing both shares would unmask its input");
                }

                if (!_peers.ContainsKey(_parameters.IndexOf(name)))
                {
                    throw Refuse(SecAggFailure.Malformed, $"'{name}' is listed as dropped but never advertised keys");
                }

                if (!dropped.Add(name))
                {
                    throw Refuse(SecAggFailure.Malformed, $"'{name}' is listed as dropped twice");
                }
            }

            CheckConsistencySignatures(request, survivorSet);
            var response = new SecAggUnmaskResponse { PlanId = _parameters.PlanId, Round = _parameters.Round, Sender = Name };
            foreach (var (owner, shares) in _held)
            {
                var ownerName = _parameters.Participants[owner];
                if (survivorSet.Contains(ownerName))
                {
                    response.Shares.Add(Reveal(ownerName, SecAggShareKind.MaskSeed, shares.MaskSeedShare));
                }
                else if (dropped.Contains(ownerName))
                {
                    response.Shares.Add(Reveal(ownerName, SecAggShareKind.MaskKey, shares.MaskKeyShare));
                }
            }

            EraseSecrets();
            Stage = SiteStage.Completed;
            return response;
        });
    }

    private void CheckConsistencySignatures(SecAggUnmaskRequest request, HashSet<string> survivors)
    {
        var payload = SecAggMessages.SurvivorPayload(_signedSurvivors!);
        var signers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var check in request.Signatures)
        {
            SecAggMessages.CheckPlanAndRound(_parameters, check.PlanId, check.Round, $"the consistency signature of '{check.Sender}'");
            if (!survivors.Contains(check.Sender))
            {
                throw Refuse(SecAggFailure.InconsistentSurvivors, $"a consistency signature comes from '{check.Sender}', who is not in U3");
            }

            if (!signers.Add(check.Sender))
            {
                throw Refuse(SecAggFailure.Duplicate, $"two consistency signatures come from '{check.Sender}'");
            }

            var certificate = check.Sender == Name ? _identity.Certificate : _peers[_parameters.IndexOf(check.Sender)].Certificate;
            if (!SecAggMessages.VerifyConsistency(_parameters, certificate, check.Sender, payload, check.Signature.Span))
            {
                throw Refuse(SecAggFailure.InvalidSignature, $"the consistency signature of '{check.Sender}' is invalid");
            }
        }

        if (signers.Count < _parameters.Threshold)
        {
            throw Refuse(SecAggFailure.TooFewSignatures, $"{signers.Count} consistency signatures accompany the request; t = {_parameters.Threshold}");
        }
    }

    private static SecAggRevealedShare Reveal(string owner, SecAggShareKind kind, byte[] share) =>
        new() { Owner = owner, Kind = kind, Share = ByteString.CopyFrom(share) };
}
