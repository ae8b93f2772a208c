namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// Precomputation for the negacyclic NTT over Z_q[X]/(X^N + 1): powers of a primitive 2N-th
/// root psi in bit-reversed order with their Shoup factors (Longa and Naehrig 2016, Alg. 1 and 2).
/// </summary>
internal sealed class NttTables
{
    public NttTables(Modulus modulus, int ringDegree)
    {
        if (ringDegree < 2 || (ringDegree & (ringDegree - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ringDegree), $"the ring degree must be a power of two; got {ringDegree}");
        }

        Modulus = modulus;
        RingDegree = ringDegree;
        LogDegree = System.Numerics.BitOperations.Log2((uint)ringDegree);
        Root = PrimeGenerator.MinimalPrimitiveRoot(modulus, ringDegree);
        var inverseRoot = modulus.Inverse(Root);

        RootPowers = new ulong[ringDegree];
        RootPowersShoup = new ulong[ringDegree];
        InverseRootPowers = new ulong[ringDegree];
        InverseRootPowersShoup = new ulong[ringDegree];
        ulong power = 1;
        ulong inversePower = 1;
        for (var i = 0; i < ringDegree; i++)
        {
            var index = (int)BitReverse((uint)i, LogDegree);
            RootPowers[index] = power;
            InverseRootPowers[index] = inversePower;
            power = modulus.Multiply(power, Root);
            inversePower = modulus.Multiply(inversePower, inverseRoot);
        }

        for (var i = 0; i < ringDegree; i++)
        {
            RootPowersShoup[i] = modulus.ShoupFactor(RootPowers[i]);
            InverseRootPowersShoup[i] = modulus.ShoupFactor(InverseRootPowers[i]);
        }

        InverseDegree = modulus.Inverse((ulong)ringDegree);
        InverseDegreeShoup = modulus.ShoupFactor(InverseDegree);
        ScaledLastInverseRoot = modulus.Multiply(InverseRootPowers[1], InverseDegree);
        ScaledLastInverseRootShoup = modulus.ShoupFactor(ScaledLastInverseRoot);
    }

    public Modulus Modulus { get; }

    public int RingDegree { get; }

    public int LogDegree { get; }

    /// <summary>The primitive 2N-th root psi the transform evaluates at (psi^(2i+1)).</summary>
    public ulong Root { get; }

    /// <summary>psi^bitrev(i).</summary>
    public ulong[] RootPowers { get; }

    public ulong[] RootPowersShoup { get; }

    /// <summary>psi^-bitrev(i).</summary>
    public ulong[] InverseRootPowers { get; }

    public ulong[] InverseRootPowersShoup { get; }

    public ulong InverseDegree { get; }

    public ulong InverseDegreeShoup { get; }

    /// <summary>psi^-bitrev(1) / N: the inverse transform's last twiddle with the scaling folded in.</summary>
    public ulong ScaledLastInverseRoot { get; }

    public ulong ScaledLastInverseRootShoup { get; }

    public static uint BitReverse(uint value, int bits) =>
        bits == 0 ? 0 : ReverseAll(value) >> (32 - bits);

    private static uint ReverseAll(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
