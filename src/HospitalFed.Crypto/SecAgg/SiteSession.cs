using System.Security.Cryptography;
using Google.Protobuf;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

/// <summary>
/// One site's side of a secure-aggregation round (Bonawitz et al., CCS 2017, Fig. 4, with the
/// consistency check of the active-adversary variant): a state machine that takes the
/// aggregator's messages and returns its own, never touching the network. Call, in order,
/// <see cref="AdvertiseKeys"/>, <see cref="ShareKeys"/>, <see cref="ReceiveShares"/>,
/// <see cref="MaskInput"/>, <see cref="CheckConsistency"/> and <see cref="Unmask"/>.
/// </summary>
/// <remarks>
/// Every method throws <see cref="SecAggException"/> for a message of the wrong stage, plan or
/// round (the session is left as it was). When the aggregator deviates (a bad signature or
/// share, a forged survivor set, a request for both shares of a site, too few survivors) the
/// site aborts: it erases every secret and refuses everything after. Not thread-safe.
/// </remarks>
public sealed partial class SiteSession : IDisposable
{
    private readonly SecAggParameters _parameters;
    private readonly SigningIdentity _identity;
    private readonly ConsortiumTrust _trust;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator _random;
    private readonly bool _ownsRandom;
    private readonly int _index;
    private readonly Dictionary<int, PeerKeys> _peers = [];
    private readonly SortedDictionary<int, HeldShares> _held = [];
    private readonly List<(int Peer, byte[] Seed)> _pairSeeds = [];
    private P256KeyPair? _shareKey;
    private P256KeyPair? _maskKey;
    private byte[]? _selfMaskSeed;
    private SecAggAdvertiseKeys? _advertisement;
    private string[]? _signedSurvivors;
    private bool _disposed;

    /// <summary>Creates the session for <paramref name="identity"/>, a participant of the round.</summary>
    /// <param name="parameters">The round's parameters.</param>
    /// <param name="identity">This site's signing identity; its name must be a participant.</param>
    /// <param name="trust">The consortium trust every peer certificate is checked against.</param>
    /// <param name="time">The clock for certificate validity; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="random">The randomness for keys, seeds, shares and rounding; a cryptographic generator by default.</param>
    /// <exception cref="ArgumentException">The identity is not a participant.</exception>
    public SiteSession(SecAggParameters parameters, SigningIdentity identity, ConsortiumTrust trust, TimeProvider? time = null, RandomNumberGenerator? random = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(trust);
        _parameters = parameters;
        _identity = identity;
        _trust = trust;
        _time = time ?? TimeProvider.System;
        _ownsRandom = random is null;
        _random = random ?? RandomNumberGenerator.Create();
        _index = parameters.IndexOf(identity.Name);
        if (_index < 0)
        {
            throw new ArgumentException($"site '{identity.Name}' is not a participant of round {parameters.Round}", nameof(identity));
        }
    }

    /// <summary>The current stage.</summary>
    public SiteStage Stage { get; private set; }

    /// <summary>This site's consortium name.</summary>
    public string Name => _identity.Name;

    /// <summary>Stage 0: draws the two ephemeral ECDH key pairs and signs their public halves.</summary>
    public SecAggAdvertiseKeys AdvertiseKeys()
    {
        Expect(SiteStage.Created);
        _shareKey = P256KeyPair.Generate(_random);
        _maskKey = P256KeyPair.Generate(_random);
        var message = new SecAggAdvertiseKeys
        {
            PlanId = _parameters.PlanId,
            Round = _parameters.Round,
            Sender = Name,
            Certificate = ByteString.CopyFrom(_identity.Certificate.RawData),
            SharePublicKey = ByteString.CopyFrom(_shareKey.PublicKey),
            MaskPublicKey = ByteString.CopyFrom(_maskKey.PublicKey),
        };
        var binding = new MessageBinding(_parameters.PlanId, _parameters.Round, Name, MessageBinding.Broadcast);
        message.Signature = ByteString.CopyFrom(_identity.Sign(SecAggPurposes.AdvertiseKeys, binding, SecAggMessages.AdvertisementPayload(message)));
        _advertisement = message;
        Stage = SiteStage.KeysAdvertised;
        return message.Clone();
    }

    /// <summary>Erases every secret this session holds and releases the peers' certificates. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        EraseSecrets();
        foreach (var peer in _peers.Values)
        {
            peer.Certificate.Dispose();
        }

        if (_ownsRandom)
        {
            _random.Dispose();
        }

        _disposed = true;
    }

    private void Expect(SiteStage stage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Stage != stage)
        {
            throw new SecAggException(SecAggFailure.WrongStage, $"site '{Name}' is at stage {Stage}; this step needs stage {stage}");
        }
    }

    private void Expect(SiteStage stage, string planId, long round, string what)
    {
        Expect(stage);
        SecAggMessages.CheckPlanAndRound(_parameters, planId, round, what);
    }

    /// <summary>Runs a step that, if it detects a deviation, aborts the site before rethrowing.</summary>
    private T AbortOnFailure<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SecAggException)
        {
            Abort();
            throw;
        }
        catch (CryptographicException e)
        {
            Abort();
            throw new SecAggException(SecAggFailure.Malformed, $"site '{Name}' aborted the round: a cryptographic check failed", e);
        }
    }

    private SecAggException Refuse(SecAggFailure failure, string message) => new(failure, $"site '{Name}' refuses: {message}");

    private void Abort()
    {
        EraseSecrets();
        Stage = SiteStage.Aborted;
    }

    private void EraseSecrets()
    {
        _shareKey?.Dispose();
        _maskKey?.Dispose();
        _shareKey = null;
        _maskKey = null;
        if (_selfMaskSeed is not null)
        {
            CryptographicOperations.ZeroMemory(_selfMaskSeed);
            _selfMaskSeed = null;
        }

        foreach (var (_, seed) in _pairSeeds)
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        _pairSeeds.Clear();
        foreach (var shares in _held.Values)
        {
            shares.Erase();
        }

        _held.Clear();
    }
}
