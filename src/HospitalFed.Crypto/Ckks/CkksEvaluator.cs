using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Homomorphic addition, the only operation aggregation needs: coefficient-wise modular
/// addition of every component (AVX2 where available). The sum of k ciphertexts decrypts to the
/// sum of their plaintexts with the sum of their noises. Stateless and thread-safe.
/// </summary>
public sealed class CkksEvaluator
{
    private readonly CkksContext _context;

    /// <summary>Creates an evaluator for <paramref name="context"/>.</summary>
    public CkksEvaluator(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <summary><paramref name="destination"/> = <paramref name="left"/> + <paramref name="right"/>; destination may be either input.</summary>
    /// <exception cref="ArgumentException">A ciphertext belongs to another context.</exception>
    public void Add(CkksCiphertext left, CkksCiphertext right, CkksCiphertext destination)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(destination);
        _context.EnsureOwns(left.Context, nameof(left));
        _context.EnsureOwns(right.Context, nameof(right));
        _context.EnsureOwns(destination.Context, nameof(destination));
        var n = _context.N;
        var moduli = _context.Moduli.AsSpan(0, _context.CiphertextPrimeCount);
        var polynomialLength = left.PolynomialLength;
        for (var p = 0; p <= _context.Width; p++)
        {
            var offset = p * polynomialLength;
            PolyArithmetic.Add(
                left.Data.AsSpan(offset, polynomialLength),
                right.Data.AsSpan(offset, polynomialLength),
                destination.Data.AsSpan(offset, polynomialLength),
                moduli,
                n);
        }

        destination.ClearSeed();
    }

    /// <summary><paramref name="accumulator"/> += <paramref name="addend"/>.</summary>
    /// <exception cref="ArgumentException">A ciphertext belongs to another context.</exception>
    public void AddInPlace(CkksCiphertext accumulator, CkksCiphertext addend) => Add(accumulator, addend, accumulator);

    /// <summary>A new ciphertext holding <paramref name="left"/> + <paramref name="right"/>.</summary>
    public CkksCiphertext Add(CkksCiphertext left, CkksCiphertext right)
    {
        var sum = new CkksCiphertext(_context);
        Add(left, right, sum);
        return sum;
    }
}
