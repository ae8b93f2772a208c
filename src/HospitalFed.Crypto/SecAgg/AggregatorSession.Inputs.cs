using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HospitalFed.Crypto.SecAgg.Internal;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

public sealed partial class AggregatorSession
{
    private readonly SortedDictionary<int, SecAggConsistencyCheck> _checks = [];
    private uint[]? _sum;
    private long[] _received = [];
    private string[] _survivors = [];
    private byte[] _survivorPayload = [];

    /// <summary>Stage 2: adds one chunk of a site's masked input into the running sum.</summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; sender not in U2; chunk out of order, misaligned or past the end; input already complete.</exception>
    public void Receive(SecAggMaskedInputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        Expect(AggregatorStage.CollectingMaskedInputs, chunk.PlanId, chunk.Round, $"a masked-input chunk of '{chunk.Sender}'");
        var sender = SecAggMessages.IndexOf(_parameters, chunk.Sender, "a masked-input chunk");
        if (!_shared.ContainsKey(sender))
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"'{chunk.Sender}' sent masked input but is not in U2");
        }

        var dimension = _parameters.Dimension;
        if (_received[sender] == dimension)
        {
            throw new SecAggException(SecAggFailure.Duplicate, $"the masked input of '{chunk.Sender}' is already complete");
        }

        var bytes = chunk.Words.Span;
        if (chunk.Offset != _received[sender] || bytes.Length == 0 || bytes.Length % sizeof(uint) != 0 || chunk.Offset + (bytes.Length / sizeof(uint)) > dimension)
        {
            throw new SecAggException(SecAggFailure.Malformed, $"the chunk of '{chunk.Sender}' at word {chunk.Offset} with {bytes.Length} bytes does not continue its input at word {_received[sender]} of {dimension} with whole words");
        }

        var words = MemoryMarshal.Cast<byte, uint>(bytes);
        var target = _sum.AsSpan((int)chunk.Offset, words.Length);
        TensorPrimitives.Add<uint>(target, words, target); // mod 2^32
        _received[sender] += words.Length;
    }

    /// <summary>Closes stage 2: U3 is the set of sites whose masked input arrived completely.</summary>
    /// <returns>The survivor set for every site in U3.</returns>
    /// <exception cref="SecAggException">Wrong stage; or (aborting) a site stopped mid-upload, or |U3| &lt; t.</exception>
    public SecAggSurvivorSet CloseMaskedInput()
    {
        Expect(AggregatorStage.CollectingMaskedInputs);
        var partial = _shared.Keys.Where(i => _received[i] > 0 && _received[i] < _parameters.Dimension).Select(i => _parameters.Participants[i]).ToArray();
        if (partial.Length > 0)
        {
            // Its partial masked words are already in the sum and can only be removed by learning
            // both of its secrets, which no honest site would allow: the round must restart.
            Stage = AggregatorStage.Aborted;
            throw new SecAggException(SecAggFailure.PartialMaskedInput, $"round {_parameters.Round} aborted: the masked input of {string.Join(", ", partial)} stopped part-way");
        }

        var survivors = _shared.Keys.Where(i => _received[i] == _parameters.Dimension).ToArray();
        RequireAtLeastThreshold(survivors.Length, "U3 (sites whose masked input arrived)");
        _survivors = [.. survivors.Select(i => _parameters.Participants[i])];
        _survivorPayload = SecAggMessages.SurvivorPayload(_survivors);
        Stage = AggregatorStage.CollectingConsistencyChecks;
        var set = new SecAggSurvivorSet { PlanId = _parameters.PlanId, Round = _parameters.Round };
        set.Survivors.AddRange(_survivors);
        return set;
    }

    /// <summary>Stage 3: accepts one survivor's signature on U3 after verifying it.</summary>
    /// <exception cref="SecAggException">Wrong stage, plan or round; sender not in U3; repeated; invalid signature.</exception>
    public void Receive(SecAggConsistencyCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Expect(AggregatorStage.CollectingConsistencyChecks, check.PlanId, check.Round, $"the consistency check of '{check.Sender}'");
        var sender = SecAggMessages.IndexOf(_parameters, check.Sender, "a consistency check");
        if (Array.BinarySearch(_survivors, check.Sender, StringComparer.Ordinal) < 0)
        {
            throw new SecAggException(SecAggFailure.WrongParty, $"'{check.Sender}' sent a consistency check but is not in U3");
        }

        if (_checks.ContainsKey(sender))
        {
            throw new SecAggException(SecAggFailure.Duplicate, $"'{check.Sender}' already sent its consistency check");
        }

        if (!SecAggMessages.VerifyConsistency(_parameters, _advertised[sender].Keys.Certificate, check.Sender, _survivorPayload, check.Signature.Span))
        {
            throw new SecAggException(SecAggFailure.InvalidSignature, $"the consistency signature of '{check.Sender}' is invalid");
        }

        _checks[sender] = check.Clone();
    }

    /// <summary>Closes stage 3: U4 is the set of survivors whose signature arrived.</summary>
    /// <returns>One unmask request per site in U4, each with U3, U2 \ U3 and every signature.</returns>
    /// <exception cref="SecAggException">Wrong stage; or (aborting) |U4| &lt; t.</exception>
    public IReadOnlyList<SecAggUnmaskRequest> CloseConsistencyCheck()
    {
        Expect(AggregatorStage.CollectingConsistencyChecks);
        RequireAtLeastThreshold(_checks.Count, "U4 (survivors that signed U3)");
        var dropped = _shared.Keys.Select(i => _parameters.Participants[i]).Where(n => Array.BinarySearch(_survivors, n, StringComparer.Ordinal) < 0).ToArray();
        var requests = new List<SecAggUnmaskRequest>(_checks.Count);
        foreach (var signer in _checks.Keys)
        {
            var request = new SecAggUnmaskRequest { PlanId = _parameters.PlanId, Round = _parameters.Round, Recipient = _parameters.Participants[signer] };
            request.Survivors.AddRange(_survivors);
            request.Dropped.AddRange(dropped);
            request.Signatures.AddRange(_checks.Values.Select(c => c.Clone()));
            requests.Add(request);
        }

        Stage = AggregatorStage.CollectingUnmaskResponses;
        return requests;
    }
}
