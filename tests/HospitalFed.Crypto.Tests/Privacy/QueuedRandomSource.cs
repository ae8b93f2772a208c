using System.Buffers.Binary;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Tests.Privacy;

/// <summary>A source that hands out the given 32-bit words in order (little-endian), to steer the rounding's tie refinement.</summary>
internal sealed class QueuedRandomSource(params uint[] words) : IRandomSource
{
    private readonly Queue<uint> _words = new(words);

    public int Remaining => _words.Count;

    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i += sizeof(uint))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(i, sizeof(uint)), _words.Dequeue());
        }
    }
}
