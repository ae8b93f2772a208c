using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.CkksPlans;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Keys;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>
/// A site's side of a CKKS plan (Mouchet et al., PETS 2021). Set-up: draw s_i, publish a signed
/// public-key share over the plan's common random polynomial and a signed ECDH key; verify and sum
/// every key holder's share itself; Shamir-share s_i to the others, sealed to each; sum what it
/// receives into its threshold key F(x_j), store it (<see cref="ISiteKeyStore"/>) and sign the
/// collective key's digest. This file: the set-up; the rounds are in CkksSiteProtection.Rounds.cs.
/// </summary>
internal sealed partial class CkksSiteProtection : ISiteProtection
{
    private readonly SiteAgentContext _context;
    private readonly TrainingPlan _plan;
    private readonly TimeProvider _time;
    private CkksContext? _ckks;
    private CkksSetup? _setup;
    private CkksSecretKey? _secret;
    private ECDiffieHellman? _shareKey;
    private ThresholdKeyShare? _ownShare;
    private CkksKeyAdvertisements? _advertisements;
    private CkksKeyMaterial? _keys;
    private CkksPublicKey? _publicKey;
    private ThresholdSecretKey? _thresholdKey;
    private X509Certificate2[] _certificates = [];

    public CkksSiteProtection(TrainingPlan plan, SiteAgentContext context, TimeProvider time)
    {
        _plan = plan;
        _context = context;
        _time = time;
        if (context.KeyStore?.Load(plan.Id) is { } stored)
        {
            Restore(stored); // a restarted site rejoins with the shares it stored at set-up
        }
    }

    private string Name => _context.Identity.Name;

    public SiteReply? Handle(SiteTask task) => task.TaskCase switch
    {
        SiteTask.TaskOneofCase.CkksSetup => Advertise(task.CkksSetup),
        SiteTask.TaskOneofCase.CkksKeys => ShareSecret(task.CkksKeys),
        SiteTask.TaskOneofCase.CkksThresholdShares => Combine(task.CkksThresholdShares),
        SiteTask.TaskOneofCase.CkksDecryption => Decrypt(task.CkksDecryption),
        _ => null,
    };

    public void Dispose()
    {
        EndRound();
        EndSetup();
        _keys?.Dispose();
        _thresholdKey?.Dispose();
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }
    }

    private SiteReply Advertise(CkksSetup setup)
    {
        if (_keys is not null)
        {
            throw new InvalidOperationException($"plan {_plan.Id} already has this site's CKKS keys; a second set-up is refused");
        }

        var n = setup.KeyHolders.Count;
        if (!setup.KeyHolders.Contains(Name) || setup.KeyHolders.Distinct(StringComparer.Ordinal).Count() != n || setup.Threshold < Math.Max(2, _plan.MinSites) || setup.Threshold > n)
        {
            throw new InvalidOperationException($"CKKS set-up refused: {n} key holders with t = {setup.Threshold} (this site must be one; 2 <= t <= n and t >= the plan's {_plan.MinSites})");
        }

        if (!CkksPlanSetup.Presets.TryGetValue(setup.Parameters?.Preset ?? string.Empty, out var parameters) || !parameters.Fingerprint.Span.SequenceEqual(setup.Parameters!.Fingerprint.Span))
        {
            throw new InvalidOperationException($"CKKS set-up refused: unknown parameter preset '{setup.Parameters?.Preset}' or a fingerprint that does not match it");
        }

        EndSetup();
        _setup = setup;
        _ckks = new CkksContext(parameters);
        var crp = new CommonRandomPolynomial(_ckks, CkksPlanSetup.CrpSeed(_plan.Id));
        _secret = new CkksKeyGenerator(_ckks).GenerateSecretKey();
        var share = SignedPublicKeyShare.Create(_context.Identity, _plan.Id, crp, new PublicKeyGenProtocol(_ckks).GenShare(_secret, crp));
        _shareKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var spki = _shareKey.PublicKey.ExportSubjectPublicKeyInfo();
        var advertisement = new CkksKeyAdvertisement
        {
            PublicKeyShare = new CkksPublicKeyShare
            {
                PlanId = _plan.Id, Sender = Name, CrpSeed = ByteString.CopyFrom(share.CrpSeed), Share = ByteString.CopyFrom(share.Share), Signature = ByteString.CopyFrom(share.Signature),
            },
            Certificate = ByteString.CopyFrom(_context.Identity.Certificate.RawData),
            SharePublicKey = ByteString.CopyFrom(spki),
            ShareKeySignature = ByteString.CopyFrom(_context.Identity.Sign(CkksPlanSetup.ShareKeyPurpose, new MessageBinding(_plan.Id, 0, Name, MessageBinding.Broadcast), spki)),
        };
        return SiteReply.Send(new SiteMessage { CkksKeyAdvertisement = advertisement });
    }

    /// <summary>Verifies every key holder's advertisement, sums the collective key, and sends each other key holder its sealed Shamir share of s_i.</summary>
    private SiteReply ShareSecret(CkksKeyAdvertisements keys)
    {
        var ckks = _ckks ?? throw new InvalidOperationException("CKKS key advertisements arrived before this site's set-up");
        var holders = keys.Keys.Select(k => k.PublicKeyShare.Sender).ToArray();
        var n = holders.Length;
        if (keys.PlanId != _plan.Id || !holders.SequenceEqual(holders.Order(StringComparer.Ordinal)) || holders.Distinct(StringComparer.Ordinal).Count() != n
            || !holders.All(_setup!.KeyHolders.Contains) || !holders.Contains(Name) || n < Math.Max(2, _plan.MinSites) || keys.Threshold < Math.Max(2, _plan.MinSites) || keys.Threshold > n)
        {
            throw new InvalidOperationException($"CKKS key advertisements refused: {n} key holders, t = {keys.Threshold} (sorted, distinct, from the set-up, including this site, at least the plan's {_plan.MinSites})");
        }

        var crp = new CommonRandomPolynomial(ckks, CkksPlanSetup.CrpSeed(_plan.Id));
        var now = _time.GetUtcNow();
        var shares = new List<PublicKeyShare>();
        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var key in keys.Keys)
            {
                var s = key.PublicKeyShare;
                var certificate = X509CertificateLoader.LoadCertificate(key.Certificate.Span);
                certificates.Add(certificate);
                _context.Trust.Validate(certificate, ConsortiumRole.Site, now, s.Sender);
                shares.Add(new SignedPublicKeyShare(s.Sender, s.CrpSeed.ToByteArray(), s.Share.ToByteArray(), s.Signature.ToByteArray()).Verify(ckks, _context.Trust, certificate, _plan.Id, crp, now));
                _context.Trust.VerifySignature(certificate, ConsortiumRole.Site, now, CkksPlanSetup.ShareKeyPurpose, new MessageBinding(_plan.Id, 0, s.Sender, MessageBinding.Broadcast), key.SharePublicKey.Span, key.ShareKeySignature.Span);
            }
        }
        catch (Exception ex) when (ex is IdentityException or CryptographicException or FormatException)
        {
            certificates.ForEach(c => c.Dispose());
            throw new InvalidOperationException($"a CKKS key advertisement is refused: {ex.Message}", ex);
        }

        var protocol = new PublicKeyGenProtocol(ckks);
        _publicKey = protocol.GenPublicKey(protocol.AggregateShares(shares), crp);
        _certificates = [.. certificates];
        _advertisements = keys;
        var points = Enumerable.Range(1, n).ToArray();
        var thresholdShares = new ThresholdProtocol(ckks).GenShares(_secret!, keys.Threshold, points);
        _secret!.Dispose(); // s_i is needed for nothing after this: decryption uses F(x_j)
        _secret = null;
        var reply = new CkksThresholdShares { PlanId = _plan.Id };
        for (var j = 0; j < n; j++)
        {
            if (holders[j] == Name)
            {
                _ownShare = thresholdShares[j];
                continue;
            }

            using var peer = ECDiffieHellman.Create();
            peer.ImportSubjectPublicKeyInfo(keys.Keys[j].SharePublicKey.Span, out _);
            using (thresholdShares[j])
            {
                var sealedShare = ThresholdShareSealer.Seal(thresholdShares[j], _shareKey!, peer.PublicKey, new MessageBinding(_plan.Id, 0, Name, holders[j]));
                reply.Shares.Add(new CkksThresholdKeyShare { PlanId = _plan.Id, Sender = Name, Recipient = holders[j], RecipientPoint = j + 1, Threshold = keys.Threshold, SealedShare = ByteString.CopyFrom(sealedShare) });
            }
        }

        return SiteReply.Send(new SiteMessage { CkksThresholdShares = reply });
    }

    /// <summary>Opens the shares addressed to this site, sums F(x_j), stores the key material and confirms the collective key.</summary>
    private SiteReply Combine(CkksThresholdShares delivery)
    {
        var keys = _advertisements ?? throw new InvalidOperationException("threshold shares arrived before the key advertisements");
        var holders = keys.Keys.Select(k => k.PublicKeyShare.Sender).ToList();
        var point = holders.IndexOf(Name) + 1;
        var received = new List<ThresholdKeyShare> { _ownShare! };
        try
        {
            foreach (var share in delivery.Shares)
            {
                var index = holders.IndexOf(share.Sender);
                if (share.PlanId != _plan.Id || share.Recipient != Name || share.RecipientPoint != point || index < 0 || share.Sender == Name || received.Count > holders.Count)
                {
                    throw new InvalidOperationException($"a threshold share from '{share.Sender}' to '{share.Recipient}' at point {share.RecipientPoint} is not for this site (point {point})");
                }

                using var peer = ECDiffieHellman.Create();
                peer.ImportSubjectPublicKeyInfo(keys.Keys[index].SharePublicKey.Span, out _);
                received.Add(ThresholdShareSealer.Open(_ckks!, share.SealedShare.Span, _shareKey!, peer.PublicKey, new MessageBinding(_plan.Id, 0, share.Sender, Name), point));
            }

            if (delivery.Shares.Select(s => s.Sender).Distinct(StringComparer.Ordinal).Count() != holders.Count - 1)
            {
                throw new InvalidOperationException($"{delivery.Shares.Count} threshold shares arrived; one from each of the other {holders.Count - 1} key holders is needed");
            }

            var material = new CkksKeyMaterial(_plan.Id, _setup!.Parameters.Preset, _setup.Aggregator, holders, [.. _certificates.Select(c => c.RawData)], keys.Threshold, CkksSerializer.Serialize(_publicKey!), [.. received.Select(s => s.ToBytes())]);
            _context.KeyStore?.Save(material);
            Restore(material);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new InvalidOperationException($"a sealed threshold share does not open: {ex.Message}", ex);
        }
        finally
        {
            received.ForEach(r => r.Dispose());
            EndSetup();
        }

        var digest = SHA256.HashData(_keys!.PublicKey);
        var confirmation = new CkksKeyConfirmation
        {
            PlanId = _plan.Id,
            Sender = Name,
            CollectiveKeyDigest = ByteString.CopyFrom(digest),
            Signature = ByteString.CopyFrom(_context.Identity.Sign(CkksPlanSetup.CollectiveKeyPurpose, new MessageBinding(_plan.Id, 0, Name, _keys.Aggregator), digest)),
        };
        return SiteReply.Send(new SiteMessage { CkksKeyConfirmation = confirmation });
    }

    /// <summary>Rebuilds the public key and the threshold key F(x_j) from stored material.</summary>
    private void Restore(CkksKeyMaterial material)
    {
        _ckks ??= new CkksContext(CkksPlanSetup.Presets[material.Preset]);
        var point = material.KeyHolders.ToList().IndexOf(Name) + 1;
        var shares = material.Shares.Select(s => ThresholdKeyShare.Parse(_ckks, point, s)).ToList();
        try
        {
            _thresholdKey?.Dispose();
            _thresholdKey = new ThresholdProtocol(_ckks).AggregateShares(point, material.Threshold, material.KeyHolders.Count, shares);
        }
        finally
        {
            shares.ForEach(s => s.Dispose());
        }

        _publicKey = CkksSerializer.ReadPublicKey(_ckks, material.PublicKey);
        if (_certificates.Length == 0)
        {
            _certificates = [.. material.Certificates.Select(c => X509CertificateLoader.LoadCertificate(c))];
        }

        _keys?.Dispose();
        _keys = material;
    }

    private void EndSetup()
    {
        _secret?.Dispose();
        _secret = null;
        _shareKey?.Dispose();
        _shareKey = null;
        _ownShare?.Dispose();
        _ownShare = null;
    }
}
