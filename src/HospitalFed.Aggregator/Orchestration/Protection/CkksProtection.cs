using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.CkksPlans;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>
/// Multiparty CKKS (Mouchet et al., PETS 2021) under a collective key no party holds. Set-up, once
/// per plan: the aggregator relays signed public-key shares (every site verifies and sums them
/// itself), then the sealed t-of-n threshold shares, then collects every key holder's signed digest
/// of the collective key. Each round: sites upload ciphertexts with a signed contribution, the
/// aggregator sums ciphertexts only, the active set returns signed decryption shares, and t of them
/// decode the sum. The aggregator never holds key material. This file: the set-up.
/// </summary>
internal sealed partial class CkksProtection : IRoundProtection
{
    private readonly TrainingPlan _plan;
    private readonly ConsortiumTrust _trust;
    private readonly string _aggregator;
    private readonly TimeProvider _time;
    private readonly string _preset;
    private readonly long _maxValues;
    private readonly CkksContext _ckks;
    private readonly CommonRandomPolynomial _crp;
    private readonly Dictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CkksKeyAdvertisement> _advertisements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CkksThresholdShares> _sealedShares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CkksKeyConfirmation> _confirmations = new(StringComparer.Ordinal);
    private CkksKeyAdvertisements? _keys;
    private string[] _keyHolders = [];
    private int _threshold;

    public CkksProtection(TrainingPlan plan, ConsortiumTrust trust, string aggregator, long maxValues, TimeProvider time)
    {
        _plan = plan;
        _trust = trust;
        _aggregator = aggregator;
        _time = time;
        _maxValues = maxValues;
        _preset = CkksPlanSetup.PresetFor(maxValues);
        _ckks = new CkksContext(CkksPlanSetup.Presets[_preset]);
        _crp = new CommonRandomPolynomial(_ckks, CkksPlanSetup.CrpSeed(plan.Id));
    }

    public OrchestratorPhase InvitationPhase => OrchestratorPhase.CollectingInputs;

    public IReadOnlyCollection<string>? Members => _keyHolders;

    public bool HasSetup => true;

    public ProtectionStep? BeginSetup(IReadOnlyList<string> sites, IEnumerable<ByteString> approvals)
    {
        if (_setupRestored)
        {
            return null; // the sites hold their key material already and refuse a second set-up
        }

        _keyHolders = [.. sites.Order(StringComparer.Ordinal)];
        _threshold = CkksPlanSetup.Threshold(_keyHolders.Length, _plan.MinSites);
        var setup = new CkksSetup
        {
            PlanId = _plan.Id,
            Plan = ByteString.CopyFrom(_plan.CanonicalBytes),
            Threshold = _threshold,
            Parameters = new CkksParametersRef { Preset = _preset, Fingerprint = ByteString.CopyFrom(_ckks.Parameters.Fingerprint.Span) },
            Aggregator = _aggregator,
        };
        setup.KeyHolders.AddRange(_keyHolders);
        setup.Approvals.AddRange(approvals);
        return new(OrchestratorPhase.CkksKeyGeneration, ProtectionStep.Broadcast(_keyHolders, new SiteTask { CkksSetup = setup }));
    }

    public (OrchestratorPhase Phase, string SignedAs)? Classify(SiteMessage message) => message.MessageCase switch
    {
        SiteMessage.MessageOneofCase.CkksKeyAdvertisement => (OrchestratorPhase.CkksKeyGeneration, message.CkksKeyAdvertisement.PublicKeyShare.Sender),
        SiteMessage.MessageOneofCase.CkksThresholdShares => (OrchestratorPhase.CkksThresholdSharing, SenderOf(message.CkksThresholdShares)),
        SiteMessage.MessageOneofCase.CkksKeyConfirmation => (OrchestratorPhase.CkksKeyConfirmation, message.CkksKeyConfirmation.Sender),
        SiteMessage.MessageOneofCase.CkksContribution => (OrchestratorPhase.CollectingInputs, message.CkksContribution.Contributor),
        SiteMessage.MessageOneofCase.CkksDecryptionShares => (OrchestratorPhase.Decrypting, message.CkksDecryptionShares.Sender),
        _ => null,
    };

    public bool Receive(string sender, SiteMessage message)
    {
        switch (message.MessageCase)
        {
            case SiteMessage.MessageOneofCase.CkksKeyAdvertisement:
                AcceptAdvertisement(sender, message.CkksKeyAdvertisement);
                return true;
            case SiteMessage.MessageOneofCase.CkksThresholdShares:
                AcceptSealedShares(sender, message.CkksThresholdShares);
                return true;
            case SiteMessage.MessageOneofCase.CkksKeyConfirmation:
                AcceptConfirmation(sender, message.CkksKeyConfirmation);
                return true;
            case SiteMessage.MessageOneofCase.CkksContribution:
                AcceptContribution(sender, message.CkksContribution);
                return false; // the signed Upload entry that follows answers the phase
            case SiteMessage.MessageOneofCase.CkksDecryptionShares:
                AcceptDecryptionShares(sender, message.CkksDecryptionShares);
                return true;
            default:
                throw new OrchestratorException($"'{sender}' sent a {message.MessageCase} message to a CKKS plan.");
        }
    }

    public string StageName(OrchestratorPhase phase) => "upload";

    public ProtectionStep Close(OrchestratorPhase phase, IReadOnlyCollection<string> silent) => phase switch
    {
        OrchestratorPhase.CkksKeyGeneration => CloseKeyGeneration(),
        OrchestratorPhase.CkksThresholdSharing => CloseThresholdSharing(silent),
        OrchestratorPhase.CkksKeyConfirmation => CloseKeyConfirmation(),
        OrchestratorPhase.CollectingInputs => CloseInputs(),
        OrchestratorPhase.Decrypting => CloseDecryption(silent),
        _ => throw new OrchestratorException($"No CKKS phase to close in {phase}."),
    };

    public void Dispose()
    {
        EndRound();
        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
        }
    }

    private static string SenderOf(CkksThresholdShares shares) => shares.Shares.Count > 0 ? shares.Shares[0].Sender : string.Empty;

    private PublicKeyShare AcceptAdvertisement(string sender, CkksKeyAdvertisement advertisement)
    {
        var share = advertisement.PublicKeyShare;
        var now = _time.GetUtcNow();
        X509Certificate2? certificate = null;
        PublicKeyShare verified;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(advertisement.Certificate.Span);
            _trust.Validate(certificate, ConsortiumRole.Site, now, sender);
            var signed = new SignedPublicKeyShare(share.Sender, share.CrpSeed.ToByteArray(), share.Share.ToByteArray(), share.Signature.ToByteArray());
            verified = signed.Verify(_ckks, _trust, certificate, _plan.Id, _crp, now);
            _trust.VerifySignature(certificate, ConsortiumRole.Site, now, CkksPlanSetup.ShareKeyPurpose, new MessageBinding(_plan.Id, 0, sender, MessageBinding.Broadcast), advertisement.SharePublicKey.Span, advertisement.ShareKeySignature.Span);
        }
        catch (Exception ex) when (ex is IdentityException or CryptographicException or FormatException)
        {
            certificate?.Dispose();
            throw new OrchestratorException($"The CKKS key advertisement of '{sender}' is refused: {ex.Message}", ex);
        }

        if (share.PlanId != _plan.Id)
        {
            certificate.Dispose();
            throw new OrchestratorException($"'{sender}' advertised a key share for plan {share.PlanId}, not {_plan.Id}.");
        }

        if (_certificates.Remove(sender, out var previous))
        {
            previous.Dispose();
        }

        _certificates[sender] = certificate;
        _advertisements[sender] = advertisement;
        return verified;
    }

    private ProtectionStep CloseKeyGeneration()
    {
        // Sites silent here hold no part of the collective key: the key holders are those who answered.
        _keyHolders = [.. _advertisements.Keys.Order(StringComparer.Ordinal)];
        if (_keyHolders.Length < Math.Max(2, _plan.MinSites))
        {
            throw new RoundAbortedException($"{_keyHolders.Length} sites advertised CKKS key shares; the plan requires {_plan.MinSites}");
        }

        _threshold = CkksPlanSetup.Threshold(_keyHolders.Length, _plan.MinSites);
        var keys = new CkksKeyAdvertisements { PlanId = _plan.Id, Threshold = _threshold };
        keys.Keys.AddRange(_keyHolders.Select(k => _advertisements[k]));
        _keys = keys;
        return new(OrchestratorPhase.CkksThresholdSharing, ProtectionStep.Broadcast(_keyHolders, new SiteTask { CkksKeys = keys }));
    }

    private void AcceptSealedShares(string sender, CkksThresholdShares shares)
    {
        var expected = _keyHolders.Where(k => k != sender).ToHashSet(StringComparer.Ordinal);
        foreach (var share in shares.Shares)
        {
            var point = Array.IndexOf(_keyHolders, share.Recipient) + 1;
            if (share.PlanId != _plan.Id || share.Sender != sender || !expected.Remove(share.Recipient) || share.RecipientPoint != point || share.Threshold != _threshold)
            {
                throw new OrchestratorException($"'{sender}' sent a threshold share for '{share.Recipient}' (point {share.RecipientPoint}, t = {share.Threshold}) that is not one share per other key holder at its point with t = {_threshold}.");
            }
        }

        if (expected.Count > 0 || shares.PlanId != _plan.Id)
        {
            throw new OrchestratorException($"'{sender}' sent no threshold share for {string.Join(", ", expected)}.");
        }

        _sealedShares[sender] = shares;
    }

    private ProtectionStep CloseThresholdSharing(IReadOnlyCollection<string> silent)
    {
        // A key holder's secret is already in the collective key: without its shares nobody could
        // ever decrypt, so the set-up cannot continue without it.
        if (silent.Count > 0)
        {
            throw new RoundAbortedException($"{string.Join(", ", silent)} sent no threshold key shares; the collective key could never be used");
        }

        var tasks = new Dictionary<string, SiteTask>(StringComparer.Ordinal);
        foreach (var recipient in _keyHolders)
        {
            var delivery = new CkksThresholdShares { PlanId = _plan.Id };
            delivery.Shares.AddRange(_sealedShares.Values.SelectMany(s => s.Shares).Where(s => s.Recipient == recipient).OrderBy(s => s.Sender, StringComparer.Ordinal));
            tasks[recipient] = new SiteTask { CkksThresholdShares = delivery };
        }

        _sealedShares.Clear();
        return new(OrchestratorPhase.CkksKeyConfirmation, tasks);
    }

    private void AcceptConfirmation(string sender, CkksKeyConfirmation confirmation)
    {
        try
        {
            _trust.VerifySignature(_certificates[sender], ConsortiumRole.Site, _time.GetUtcNow(), CkksPlanSetup.CollectiveKeyPurpose, new MessageBinding(_plan.Id, 0, sender, _aggregator), confirmation.CollectiveKeyDigest.Span, confirmation.Signature.Span);
        }
        catch (IdentityException ex)
        {
            throw new OrchestratorException($"The collective-key confirmation of '{sender}' is refused: {ex.Message}", ex);
        }

        _confirmations[sender] = confirmation;
    }

    private ProtectionStep CloseKeyConfirmation()
    {
        var digests = _confirmations.Values.Select(c => Convert.ToHexString(c.CollectiveKeyDigest.Span)).Distinct(StringComparer.Ordinal).ToList();
        if (digests.Count > 1)
        {
            throw new RoundAbortedException($"the key holders derived {digests.Count} different collective keys");
        }

        if (_confirmations.Count < _threshold)
        {
            throw new RoundAbortedException($"{_confirmations.Count} key holders confirmed the collective key; decryption needs t = {_threshold}");
        }

        return new(OrchestratorPhase.CollectingInputs, new Dictionary<string, SiteTask>()) { SetupComplete = true, SetupRecord = EncodeSetupRecord() };
    }
}
