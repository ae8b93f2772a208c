using System.Security.Cryptography;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Tests.Primitives;

/// <summary>A deterministic randomness source for tests only: the mask PRG over a seed made from an integer.</summary>
internal sealed class SeededRandom : RandomNumberGenerator
{
    private readonly MaskPrg _prg;
    private long _position;

    public SeededRandom(int seed)
    {
        var bytes = new byte[MaskPrg.SeedSize];
        BitConverter.TryWriteBytes(bytes, seed);
        _prg = new MaskPrg(bytes);
    }

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        var words = new uint[(data.Length + 3) / 4];
        _prg.Generate(_position, words);
        _position += words.Length;
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan())[..data.Length].CopyTo(data);
    }

    public override void GetNonZeroBytes(byte[] data) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _prg.Dispose();
        }

        base.Dispose(disposing);
    }
}
