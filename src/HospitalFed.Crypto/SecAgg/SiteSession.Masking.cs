using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg;

public sealed partial class SiteSession
{
    /// <summary>
    /// Stage 2 (MaskedInput): quantises <paramref name="update"/> and masks it chunk by chunk,
    /// y_i = q(x_i) + PRG(b_i) + sum_{j &lt; i} PRG(s_ij) - sum_{j &gt; i} PRG(s_ij) mod 2^32
    /// over this site's view of U2 (Bonawitz et al. 2017, section 4). The chunks are produced
    /// lazily as the result is enumerated, so memory stays at one chunk besides the input.
    /// The seeds are erased once the last chunk is produced (or the enumeration is disposed).
    /// </summary>
    /// <param name="update">The update vector, <see cref="SecAggParameters.Dimension"/> floats (the caller keeps it unchanged until enumeration ends).</param>
    /// <returns>The chunks, in order; enumerate once.</returns>
    /// <exception cref="SecAggException">Wrong stage.</exception>
    /// <exception cref="ArgumentException">The update has the wrong length, a value that is not finite, or an out-of-bound value in a segment that does not clip (raised while enumerating for values).</exception>
    public IEnumerable<SecAggMaskedInputChunk> MaskInput(ReadOnlyMemory<float> update)
    {
        Expect(SiteStage.ReadyToMask);
        if (update.Length != _parameters.Dimension)
        {
            throw new ArgumentException($"the update has {update.Length} values; round {_parameters.Round} expects {_parameters.Dimension}", nameof(update));
        }

        Stage = SiteStage.InputSent;
        return ProduceChunks(update);
    }

    /// <summary>
    /// Stage 2 (MaskedInput) for an input already encoded in Z_2^32 (a differentially private
    /// encoding, <c>Privacy.DistributedDiscreteGaussian.Encode</c>): masks <paramref name="words"/>
    /// exactly as <see cref="MaskInput(ReadOnlyMemory{float})"/> masks its quantised words, chunk by chunk.
    /// </summary>
    /// <param name="words">The encoded input, <see cref="SecAggParameters.Dimension"/> words (the caller keeps it unchanged until enumeration ends, then erases it).</param>
    /// <returns>The chunks, in order; enumerate once.</returns>
    /// <exception cref="SecAggException">Wrong stage.</exception>
    /// <exception cref="ArgumentException">The input has the wrong length.</exception>
    public IEnumerable<SecAggMaskedInputChunk> MaskEncodedInput(ReadOnlyMemory<uint> words)
    {
        Expect(SiteStage.ReadyToMask);
        if (words.Length != _parameters.Dimension)
        {
            throw new ArgumentException($"the encoded input has {words.Length} words; round {_parameters.Round} expects {_parameters.Dimension}", nameof(words));
        }

        Stage = SiteStage.InputSent;
        return MaskChunks((offset, destination) => words.Span.Slice((int)offset, destination.Length).CopyTo(destination));
    }

    private IEnumerable<SecAggMaskedInputChunk> ProduceChunks(ReadOnlyMemory<float> update)
    {
        var roundingSeed = new byte[MaskPrg.SeedSize];
        _random.GetBytes(roundingSeed);
        using var encoder = _parameters.Quantization.CreateEncoder(update, roundingSeed);
        CryptographicOperations.ZeroMemory(roundingSeed);
        foreach (var chunk in MaskChunks(encoder.Encode))
        {
            yield return chunk;
        }
    }

    private IEnumerable<SecAggMaskedInputChunk> MaskChunks(EncodeWords encode)
    {
        // The sign convention: the lower-indexed site of a pair subtracts, the higher adds, so
        // the pair's masks cancel in the sum.
        var masks = new List<(MaskPrg Prg, bool Add)> { (new MaskPrg(_selfMaskSeed), true) };
        var workspace = new MaskPrgWorkspace(); // one scratch for every mask: memory does not grow with n
        try
        {
            foreach (var (peer, seed) in _pairSeeds)
            {
                masks.Add((new MaskPrg(seed), peer < _index));
            }

            var dimension = _parameters.Dimension;
            for (long offset = 0; offset < dimension; offset += _parameters.ChunkWords)
            {
                var count = (int)Math.Min(_parameters.ChunkWords, dimension - offset);
                var bytes = new byte[count * sizeof(uint)];
                var words = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan());
                encode(offset, words);
                foreach (var (prg, add) in masks)
                {
                    if (add)
                    {
                        prg.AddTo(offset, words, workspace);
                    }
                    else
                    {
                        prg.SubtractFrom(offset, words, workspace);
                    }
                }

                yield return new SecAggMaskedInputChunk
                {
                    PlanId = _parameters.PlanId,
                    Round = _parameters.Round,
                    Sender = Name,
                    Offset = offset,
                    Words = UnsafeByteOperations.UnsafeWrap(bytes), // fresh array owned by the message
                };
            }
        }
        finally
        {
            foreach (var (prg, _) in masks)
            {
                prg.Dispose();
            }

            workspace.Dispose();
            CryptographicOperations.ZeroMemory(_selfMaskSeed);
            _selfMaskSeed = null;
            foreach (var (_, seed) in _pairSeeds)
            {
                CryptographicOperations.ZeroMemory(seed);
            }

            _pairSeeds.Clear();
        }
    }

    /// <summary>Writes the input's words [offset, offset + destination length) into <paramref name="destination"/>.</summary>
    private delegate void EncodeWords(long offset, Span<uint> destination);
}
