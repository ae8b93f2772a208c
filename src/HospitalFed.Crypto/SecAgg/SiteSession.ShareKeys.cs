using System.Security.Cryptography;
using Google.Protobuf;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

public sealed partial class SiteSession
{
    /// <summary>
    /// Stage 1 (ShareKeys): verifies every advertisement against the consortium root, draws the
    /// self-mask seed b_i, Shamir-shares b_i and s_i^SK among this site's holders in U1, and
    /// seals each holder's pair of shares to it.
    /// </summary>
    /// <param name="advertised">The aggregator's broadcast of the accepted advertisements (U1).</param>
    /// <exception cref="SecAggException">Wrong stage, plan or round; or (aborting) an invalid certificate or signature, an altered own advertisement, repeated keys, or fewer than t holders.</exception>
    public SecAggShareKeys ShareKeys(SecAggAdvertisedKeys advertised)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        Expect(SiteStage.KeysAdvertised, advertised.PlanId, advertised.Round, "the advertised keys");
        return AbortOnFailure(() =>
        {
            VerifyAdvertisements(advertised);
            var holders = _parameters.Graph.HoldersOf(_index).Where(h => h == _index || _peers.ContainsKey(h)).ToArray();
            if (holders.Length < _parameters.Threshold)
            {
                throw Refuse(SecAggFailure.TooFewSurvivors, $"only {holders.Length} of its share holders advertised keys; t = {_parameters.Threshold}");
            }

            _selfMaskSeed = new byte[MaskPrg.SeedSize];
            _random.GetBytes(_selfMaskSeed);
            var maskKey = _maskKey!.ExportPrivateKey();
            var xs = holders.Select(h => h + 1).ToArray();
            var seedShares = Shamir.Split(_selfMaskSeed, _parameters.Threshold, xs, _random);
            var keyShares = Shamir.Split(maskKey, _parameters.Threshold, xs, _random);
            CryptographicOperations.ZeroMemory(maskKey);

            var message = new SecAggShareKeys { PlanId = _parameters.PlanId, Round = _parameters.Round, Sender = Name };
            for (var h = 0; h < holders.Length; h++)
            {
                if (holders[h] == _index)
                {
                    _held[_index] = new HeldShares(seedShares[h], keyShares[h]);
                    continue;
                }

                message.Shares.Add(SealShares(_peers[holders[h]], seedShares[h], keyShares[h]));
                CryptographicOperations.ZeroMemory(seedShares[h]);
                CryptographicOperations.ZeroMemory(keyShares[h]);
            }

            Stage = SiteStage.SharesSent;
            return message;
        });
    }

    /// <summary>
    /// End of stage 1: opens the shares the aggregator forwarded (their senders form this site's
    /// view of U2) and derives the pairwise mask seeds s_ij with each of them.
    /// </summary>
    /// <param name="delivery">The sealed shares addressed to this site.</param>
    /// <exception cref="SecAggException">Wrong stage, plan, round or recipient; or (aborting) a share from a non-neighbour, for another recipient, repeated or failing authentication, or fewer than t senders.</exception>
    public void ReceiveShares(SecAggShareDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        Expect(SiteStage.SharesSent, delivery.PlanId, delivery.Round, "the share delivery");
        if (!string.Equals(delivery.Recipient, Name, StringComparison.Ordinal))
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"a share delivery for '{delivery.Recipient}' reached site '{Name}'");
        }

        AbortOnFailure(() =>
        {
            foreach (var share in delivery.Shares)
            {
                OpenShares(share);
            }

            if (_held.Count < _parameters.Threshold)
            {
                throw Refuse(SecAggFailure.TooFewSurvivors, $"only {_held.Count - 1} neighbours sent shares; t = {_parameters.Threshold}");
            }

            foreach (var peer in _held.Keys.Where(p => p != _index))
            {
                var agreement = _maskKey!.Agree(_peers[peer].MaskPublicKey);
                _pairSeeds.Add((peer, SecAggKeyDerivation.DeriveMaskSeed(agreement, _parameters.PlanId, _parameters.Round, Name, _peers[peer].Name)));
                CryptographicOperations.ZeroMemory(agreement);
            }

            // The ephemeral private keys have done their work (Bonawitz et al. 2017, section 4):
            // drop them now so a later compromise of this site reveals neither.
            _shareKey!.Dispose();
            _maskKey!.Dispose();
            _shareKey = null;
            _maskKey = null;
            Stage = SiteStage.ReadyToMask;
            return true;
        });
    }

    private void VerifyAdvertisements(SecAggAdvertisedKeys advertised)
    {
        var now = _time.GetUtcNow();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var seenSelf = false;
        foreach (var message in advertised.Keys)
        {
            if (string.Equals(message.Sender, Name, StringComparison.Ordinal))
            {
                if (seenSelf || !message.Equals(_advertisement))
                {
                    throw Refuse(SecAggFailure.Malformed, "the broadcast alters or repeats this site's own advertisement");
                }

                seenSelf = true;
            }
            else
            {
                var peer = SecAggMessages.VerifyAdvertisement(_parameters, _trust, now, message);
                if (!_peers.TryAdd(peer.Index, peer))
                {
                    throw Refuse(SecAggFailure.Duplicate, $"the broadcast lists '{peer.Name}' twice");
                }
            }

            // Bonawitz et al. 2017, Fig. 4 round 1: abort unless all advertised keys are distinct.
            if (!keys.Add(Convert.ToHexString(message.SharePublicKey.Span)) || !keys.Add(Convert.ToHexString(message.MaskPublicKey.Span)))
            {
                throw Refuse(SecAggFailure.Malformed, $"the broadcast repeats a public key (at '{message.Sender}')");
            }
        }

        if (!seenSelf)
        {
            throw Refuse(SecAggFailure.WrongParty, "the broadcast leaves this site out");
        }
    }

    private SecAggEncryptedShare SealShares(PeerKeys holder, byte[] seedShare, byte[] keyShare)
    {
        var binding = new MessageBinding(_parameters.PlanId, _parameters.Round, Name, holder.Name);
        var pair = new SecAggSharePair { MaskSeedShare = ByteString.CopyFrom(seedShare), MaskKeyShare = ByteString.CopyFrom(keyShare) };
        var plaintext = pair.ToByteArray();
        var agreement = _shareKey!.Agree(holder.SharePublicKey);
        var key = SecAggKeyDerivation.DeriveShareKey(agreement, binding);
        try
        {
            var (nonce, ciphertext) = ShareSealer.Seal(key, binding, plaintext, _random);
            return new SecAggEncryptedShare { Sender = Name, Recipient = holder.Name, Nonce = ByteString.CopyFrom(nonce), Ciphertext = ByteString.CopyFrom(ciphertext) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(agreement);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private void OpenShares(SecAggEncryptedShare share)
    {
        var sender = _parameters.IndexOf(share.Sender);
        if (sender < 0 || sender == _index || !_peers.TryGetValue(sender, out var peer) || !_parameters.Graph.AreNeighbours(_index, sender))
        {
            throw Refuse(SecAggFailure.WrongParty, $"a share comes from '{share.Sender}', who is not a neighbour in U1");
        }

        if (!string.Equals(share.Recipient, Name, StringComparison.Ordinal))
        {
            throw Refuse(SecAggFailure.WrongParty, $"the share from '{share.Sender}' is addressed to '{share.Recipient}'");
        }

        if (_held.ContainsKey(sender))
        {
            throw Refuse(SecAggFailure.Duplicate, $"the delivery holds two shares from '{share.Sender}'");
        }

        var binding = new MessageBinding(_parameters.PlanId, _parameters.Round, peer.Name, Name);
        var agreement = _shareKey!.Agree(peer.SharePublicKey);
        var key = SecAggKeyDerivation.DeriveShareKey(agreement, binding);
        byte[] plaintext;
        try
        {
            plaintext = ShareSealer.Open(key, binding, share.Nonce.Span, share.Ciphertext.Span);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SecAggException(SecAggFailure.InvalidShare, $"site '{Name}' refuses: the share from '{share.Sender}' fails authentication", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(agreement);
            CryptographicOperations.ZeroMemory(key);
        }

        try
        {
            var pair = SecAggSharePair.Parser.ParseFrom(plaintext);
            if (pair.MaskSeedShare.Length != Shamir.ShareSize || pair.MaskKeyShare.Length != Shamir.ShareSize)
            {
                throw Refuse(SecAggFailure.Malformed, $"the share from '{share.Sender}' has the wrong size");
            }

            _held[sender] = new HeldShares(pair.MaskSeedShare.ToByteArray(), pair.MaskKeyShare.ToByteArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SecAggException(SecAggFailure.Malformed, $"site '{Name}' refuses: the share from '{share.Sender}' does not parse", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
