using System.Security.Cryptography;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

public sealed partial class AggregatorSession
{
    private readonly Dictionary<int, List<ShamirShare>> _seedShares = [];
    private readonly Dictionary<int, List<ShamirShare>> _keyShares = [];
    private readonly HashSet<int> _responders = [];

    /// <summary>Stage 4: accepts one site's revealed shares.</summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; sender not in U4; repeated; a share of the wrong kind for its owner, from a non-holder, repeated or malformed.</exception>
    public void Receive(SecAggUnmaskResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Expect(AggregatorStage.CollectingUnmaskResponses, response.PlanId, response.Round, $"the unmask response of '{response.Sender}'");
        var sender = SecAggMessages.IndexOf(_parameters, response.Sender, "an unmask response");
        if (!_checks.ContainsKey(sender))
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"'{response.Sender}' sent shares but is not in U4");
        }

        if (_responders.Contains(sender))
        {
            throw new SecAggException(SecAggFailure.Duplicate, $"'{response.Sender}' already revealed its shares");
        }

        var accepted = new List<(int Owner, bool Seed, ShamirShare Share)>();
        var owners = new HashSet<int>();
        foreach (var share in response.Shares)
        {
            var owner = _parameters.IndexOf(share.Owner);
            var survived = owner >= 0 && Array.BinarySearch(_survivors, share.Owner, StringComparer.Ordinal) >= 0;
            var kindFits = share.Kind == (survived ? SecAggShareKind.MaskSeed : SecAggShareKind.MaskKey);
            var holds = owner >= 0 && _shared.ContainsKey(owner) && (owner == sender || _parameters.Graph.AreNeighbours(owner, sender));
            if (!holds || !kindFits || !owners.Add(owner) || share.Share.Length != Shamir.ShareSize)
            {
                throw new SecAggException(SecAggFailure.Malformed, $"the response of '{response.Sender}' holds a share of '{share.Owner}' that it cannot hold, of the wrong kind, repeated or malformed");
            }

            accepted.Add((owner, survived, new ShamirShare(sender + 1, share.Share.ToByteArray())));
        }

        foreach (var (owner, seed, share) in accepted)
        {
            var shares = seed ? _seedShares : _keyShares;
            if (!shares.TryGetValue(owner, out var list))
            {
                shares[owner] = list = [];
            }

            list.Add(share);
        }

        _responders.Add(sender);
    }

    /// <summary>
    /// Ends the round: reconstructs b_j of every survivor and s_j^SK of every dropped site from
    /// t shares each, checks every reconstructed s_j^SK against the signed s_j^PK, and removes
    /// the masks from the running sum chunk by chunk.
    /// </summary>
    /// <returns>The unmasked sum of the survivors' quantised updates.</returns>
    /// <exception cref="SecAggException">Wrong stage; or (aborting) fewer than t shares of some secret, or shares inconsistent with the advertised keys.</exception>
    public SecAggAggregate Finish()
    {
        Expect(AggregatorStage.CollectingUnmaskResponses);
        var survivors = _survivors.Select(_parameters.IndexOf).ToArray();
        var dropped = _shared.Keys.Where(i => Array.IndexOf(survivors, i) < 0).ToArray();
        var masks = new List<(MaskPrg Prg, bool Add)>();
        var survivorKeys = new Dictionary<int, ECDiffieHellman>(); // each imported once, however many dropped neighbours it has
        using var workspace = new MaskPrgWorkspace(); // shared by every mask: memory does not grow with n
        try
        {
            foreach (var d in dropped)
            {
                AddDroppedSiteMasks(d, survivors, survivorKeys, masks);
            }

            foreach (var s in survivors)
            {
                var seed = Reconstruct(_seedShares, s, "mask seed", MaskPrg.SeedSize);
                masks.Add((new MaskPrg(seed), false)); // remove +PRG(b_s)
                CryptographicOperations.ZeroMemory(seed);
            }

            var sum = _sum!;
            for (long offset = 0; offset < sum.Length; offset += _parameters.ChunkWords)
            {
                var chunk = sum.AsSpan((int)offset, (int)Math.Min(_parameters.ChunkWords, sum.Length - offset));
                foreach (var (prg, add) in masks)
                {
                    if (add)
                    {
                        prg.AddTo(offset, chunk, workspace);
                    }
                    else
                    {
                        prg.SubtractFrom(offset, chunk, workspace);
                    }
                }
            }
        }
        catch (SecAggException)
        {
            Stage = AggregatorStage.Aborted;
            throw;
        }
        finally
        {
            foreach (var (prg, _) in masks)
            {
                prg.Dispose();
            }

            foreach (var key in survivorKeys.Values)
            {
                key.Dispose();
            }
        }

        Stage = AggregatorStage.Completed;
        return new SecAggAggregate(_parameters.Quantization, _survivors, [.. dropped.Select(d => _parameters.Participants[d])], _sum!);
    }

    private void AddDroppedSiteMasks(int d, int[] survivors, Dictionary<int, ECDiffieHellman> survivorKeys, List<(MaskPrg Prg, bool Add)> masks)
    {
        var scalar = Reconstruct(_keyShares, d, "mask key", P256KeyPair.PrivateKeySize);
        P256KeyPair key;
        try
        {
            key = P256KeyPair.FromPrivateKey(scalar);
        }
        catch (CryptographicException e)
        {
            throw new SecAggException(SecAggFailure.InconsistentShares, $"the shares of the mask key of '{_parameters.Participants[d]}' do not reconstruct a P-256 key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }

        using (key)
        {
            // The reconstructed key must be the one the dropped site signed in AdvertiseKeys;
            // otherwise some holder revealed a wrong share and the unmasked sum would be garbage.
            if (!CryptographicOperations.FixedTimeEquals(key.PublicKey, _advertised[d].Keys.MaskPublicKey))
            {
                throw new SecAggException(SecAggFailure.InconsistentShares, $"the shares of the mask key of '{_parameters.Participants[d]}' do not match its advertised key");
            }

            foreach (var s in survivors.Where(s => _parameters.Graph.AreNeighbours(s, d)))
            {
                if (!survivorKeys.TryGetValue(s, out var survivorKey))
                {
                    survivorKeys[s] = survivorKey = P256KeyPair.ImportPublicKey(_advertised[s].Keys.MaskPublicKey);
                }

                var agreement = key.Agree(survivorKey);
                var seed = SecAggKeyDerivation.DeriveMaskSeed(agreement, _parameters.PlanId, _parameters.Round, _parameters.Participants[d], _parameters.Participants[s]);
                CryptographicOperations.ZeroMemory(agreement);

                // Survivor s added PRG(s_sd) if d < s and subtracted it otherwise: undo that.
                masks.Add((new MaskPrg(seed), d > s));
                CryptographicOperations.ZeroMemory(seed);
            }
        }
    }

    private byte[] Reconstruct(Dictionary<int, List<ShamirShare>> shares, int owner, string what, int size)
    {
        var list = shares.GetValueOrDefault(owner) ?? [];
        if (list.Count < _parameters.Threshold)
        {
            throw new SecAggException(SecAggFailure.TooFewSurvivors, $"round {_parameters.Round} aborted: {list.Count} shares of the {what} of '{_parameters.Participants[owner]}' arrived; t = {_parameters.Threshold}");
        }

        return Shamir.Combine(list, _parameters.Threshold, size);
    }
}
