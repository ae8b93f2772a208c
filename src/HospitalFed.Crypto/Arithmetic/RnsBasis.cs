using System.Runtime.CompilerServices;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// A residue number system basis q_0..q_{L-1}: composes residues back to the centred integer
/// in (-Q/2, Q/2) as a double with Garner's algorithm in balanced mixed radix (HAC 14.5.2,
/// Alg. 14.71), which is exact for small values (the digits above them are zero) and needs no
/// multi-precision arithmetic.
/// </summary>
internal sealed partial class RnsBasis
{
    private readonly Modulus[] _moduli;
    // _prefixInverse[i] = (q_0 ... q_{i-1})^-1 mod q_i
    private readonly ulong[] _prefixInverse;
    private readonly ulong[] _prefixInverseShoup;
    // _prefixModulo[i][k] = (q_0 ... q_{k-1}) mod q_i for k < i, with Shoup factors
    private readonly ulong[][] _prefixModulo;
    private readonly ulong[][] _prefixModuloShoup;
    // _prefixProduct[k] = q_0 ... q_{k-1} as a double
    private readonly double[] _prefixProduct;

    public RnsBasis(IReadOnlyList<Modulus> moduli)
    {
        _moduli = [.. moduli];
        var count = _moduli.Length;
        _prefixInverse = new ulong[count];
        _prefixInverseShoup = new ulong[count];
        _prefixModulo = new ulong[count][];
        _prefixModuloShoup = new ulong[count][];
        _prefixProduct = new double[count];
        var product = 1.0;
        for (var i = 0; i < count; i++)
        {
            _prefixProduct[i] = product;
            product *= _moduli[i].Value;
            var qi = _moduli[i];
            _prefixModulo[i] = new ulong[i];
            ulong running = 1;
            for (var k = 0; k < i; k++)
            {
                _prefixModulo[i][k] = running;
                running = qi.Multiply(running, _moduli[k].Value);
            }

            _prefixInverse[i] = i == 0 ? 1 : qi.Inverse(running);
            _prefixInverseShoup[i] = qi.ShoupFactor(_prefixInverse[i]);
            _prefixModuloShoup[i] = [.. _prefixModulo[i].Select(qi.ShoupFactor)];
        }
    }

    public int Count => _moduli.Length;

    /// <summary>
    /// For each of the N coefficients whose residues sit at <c>residues[i * N + j]</c>, writes the
    /// centred integer they represent, as a double, to <c>destination[j]</c>.
    /// </summary>
    public void ComposeCentered(ReadOnlySpan<ulong> residues, int ringDegree, Span<double> destination) =>
        ComposeCentered(residues, ringDegree, destination, vectorize: true);

    /// <summary>As above; <paramref name="vectorize"/> = false forces the general scalar loop (tests compare the two).</summary>
    public void ComposeCentered(ReadOnlySpan<ulong> residues, int ringDegree, Span<double> destination, bool vectorize)
    {
        var count = _moduli.Length;
        if (residues.Length != count * ringDegree || destination.Length < ringDegree)
        {
            throw new ArgumentException("residue and destination lengths do not match the basis");
        }

        if (count == 1)
        {
            var q = _moduli[0].Value;
            for (var j = 0; j < ringDegree; j++)
            {
                destination[j] = Center(residues[j], q);
            }

            return;
        }

        if (vectorize && count == 2 && ComposeTwoPrimes(residues, ringDegree, destination))
        {
            return;
        }

        Span<long> digits = stackalloc long[count];
        for (var j = 0; j < ringDegree; j++)
        {
            for (var i = 0; i < count; i++)
            {
                var qi = _moduli[i];
                var q = qi.Value;
                var x = residues[(i * ringDegree) + j];
                // subtract the value of the lower digits modulo q_i, then divide by their radix;
                // |digit| * radix by Shoup (any word input), negated back for negative digits
                var partial = 0UL;
                var prefix = _prefixModulo[i];
                var prefixShoup = _prefixModuloShoup[i];
                for (var k = 0; k < i; k++)
                {
                    var d = digits[k];
                    var sign = (ulong)(d >> 63);
                    var magnitude = ((ulong)d ^ sign) - sign;
                    var term = Modulus.MultiplyShoup(magnitude, prefix[k], prefixShoup[k], q);
                    var signed = (term & ~sign) | (Modulus.SubtractIfAtLeast(q - term, q) & sign);
                    partial = Modulus.SubtractIfAtLeast(partial + signed, q);
                }

                var digit = Modulus.MultiplyShoup(Modulus.SubtractIfAtLeast(x + q - partial, q), _prefixInverse[i], _prefixInverseShoup[i], q);
                digits[i] = Center(digit, qi.Value);
            }

            var value = 0.0;
            for (var i = count - 1; i >= 0; i--)
            {
                value += digits[i] * _prefixProduct[i];
            }

            destination[j] = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Center(ulong residue, ulong q)
    {
        // residue - q when residue > q/2, branch-free (the decrypted message is sensitive).
        var above = (ulong)((long)((q >> 1) - residue) >> 63);
        return (long)residue - (long)(q & above);
    }
}
