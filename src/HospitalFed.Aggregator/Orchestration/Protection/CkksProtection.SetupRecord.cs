using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.CkksPlans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>
/// The set-up record a restarted aggregator continues from: the key advertisements the aggregator
/// relayed (each key holder's certificate, its signed public-key share and signed share key) and the
/// key holders' signed confirmations of the collective key. Everything in it is public and signed by
/// the sites, so it is checked, not trusted: on restore every signature is verified again, the
/// collective key is re-derived from the shares (Mouchet et al., PETS 2021, §4.1: pk = (Σ p_i, a)),
/// and every confirmation must sign that key's digest. A record whose key holders were added,
/// removed or reordered yields another key and is refused.
/// </summary>
internal sealed partial class CkksProtection
{
    /// <summary>Format tag: the record is this, then the length-delimited advertisements, then the length-delimited confirmations.</summary>
    private static readonly byte[] RecordMagic = Encoding.ASCII.GetBytes("hfed/ckks-setup/v1\n");

    private bool _setupRestored;

    public void RestoreSetup(ReadOnlySpan<byte> record)
    {
        if (_keyHolders.Length > 0)
        {
            throw new OrchestratorException($"The CKKS set-up of plan {_plan.Id} is already under way; a record cannot replace it.");
        }

        try
        {
            RestoreVerified(record);
        }
        catch (OrchestratorException)
        {
            // Refused: leave no half-restored key holders behind.
            foreach (var certificate in _certificates.Values)
            {
                certificate.Dispose();
            }

            _certificates.Clear();
            _advertisements.Clear();
            _confirmations.Clear();
            _keyHolders = [];
            throw;
        }
    }

    private void RestoreVerified(ReadOnlySpan<byte> record)
    {
        var (keys, confirmations) = DecodeSetupRecord(record);
        var holders = keys.Keys.Select(k => k.PublicKeyShare?.Sender ?? string.Empty).ToArray();
        if (keys.PlanId != _plan.Id || holders.Length < Math.Max(2, _plan.MinSites) || !holders.SequenceEqual(holders.Order(StringComparer.Ordinal)) || holders.Distinct(StringComparer.Ordinal).Count() != holders.Length)
        {
            throw new OrchestratorException($"the record names {holders.Length} key holders for plan {keys.PlanId}; plan {_plan.Id} needs at least {Math.Max(2, _plan.MinSites)}, sorted and distinct");
        }

        var threshold = CkksPlanSetup.Threshold(holders.Length, _plan.MinSites);
        if (keys.Threshold != threshold)
        {
            throw new OrchestratorException($"the record's threshold t = {keys.Threshold} is not the plan's t = {threshold} for {holders.Length} key holders");
        }

        var shares = new List<PublicKeyShare>(holders.Length);
        for (var i = 0; i < holders.Length; i++)
        {
            shares.Add(AcceptAdvertisement(holders[i], keys.Keys[i]));
        }

        var protocol = new PublicKeyGenProtocol(_ckks);
        var collectiveKey = SHA256.HashData(CkksSerializer.Serialize(protocol.GenPublicKey(protocol.AggregateShares(shares), _crp)));
        _keyHolders = holders;
        foreach (var confirmation in confirmations)
        {
            if (confirmation.PlanId != _plan.Id || !_certificates.ContainsKey(confirmation.Sender) || _confirmations.ContainsKey(confirmation.Sender))
            {
                throw new OrchestratorException($"the record holds a confirmation from '{confirmation.Sender}' for plan {confirmation.PlanId}, which is not one per key holder of plan {_plan.Id}");
            }

            AcceptConfirmation(confirmation.Sender, confirmation);
            if (!CryptographicOperations.FixedTimeEquals(confirmation.CollectiveKeyDigest.Span, collectiveKey))
            {
                throw new OrchestratorException($"'{confirmation.Sender}' confirmed a collective key other than the one its key holders' shares give");
            }
        }

        if (_confirmations.Count < threshold)
        {
            throw new OrchestratorException($"the record holds {_confirmations.Count} key confirmations; decryption needs t = {threshold}");
        }

        _keys = keys;
        _threshold = threshold;
        _setupRestored = true;
    }

    private static (CkksKeyAdvertisements Keys, List<CkksKeyConfirmation> Confirmations) DecodeSetupRecord(ReadOnlySpan<byte> record)
    {
        if (!record.StartsWith(RecordMagic))
        {
            throw new OrchestratorException("the record is not a CKKS set-up record (v1)");
        }

        using var stream = new MemoryStream(record[RecordMagic.Length..].ToArray(), writable: false);
        try
        {
            var keys = CkksKeyAdvertisements.Parser.ParseDelimitedFrom(stream);
            var confirmations = new List<CkksKeyConfirmation>();
            while (stream.Position < stream.Length)
            {
                confirmations.Add(CkksKeyConfirmation.Parser.ParseDelimitedFrom(stream));
            }

            return (keys, confirmations);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OrchestratorException($"the record does not parse: {ex.Message}", ex);
        }
    }

    private byte[] EncodeSetupRecord()
    {
        using var stream = new MemoryStream();
        stream.Write(RecordMagic);
        _keys!.WriteDelimitedTo(stream);
        foreach (var (_, confirmation) in _confirmations.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            confirmation.WriteDelimitedTo(stream);
        }

        return stream.ToArray();
    }
}
