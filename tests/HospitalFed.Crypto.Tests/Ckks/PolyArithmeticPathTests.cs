using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

/// <summary>
/// The pointwise kernels on every path this machine supports (the test names carry the path)
/// against a Barrett reference computed independently with <see cref="Modulus.Multiply"/>.
/// </summary>
public sealed class PolyArithmeticPathTests
{
    // A block length that is no multiple of the vector width, so the scalar tail runs too.
    private const int N = 1027;

    public static IEnumerable<string> Paths => SimdSupport.Supported.Select(width => width.ToString());

    [TestCaseSource(nameof(Paths))]
    public void MultiplyShoup_RandomAndEdgeInputs_MatchesBarrettReference(string path)
    {
        // Arrange
        var (moduli, x, w, wShoup) = Operands(seed: 1);
        var expected = new ulong[x.Length];
        for (var j = 0; j < x.Length; j++)
        {
            expected[j] = moduli[j / N].Multiply(x[j], w[j]);
        }

        var actual = new ulong[x.Length];

        // Act
        PolyArithmetic.MultiplyShoup(x, w, wShoup, actual, moduli, N, Enum.Parse<SimdWidth>(path));

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Paths))]
    public void MultiplyShoupAdd_DestinationAliasesAddend_MatchesBarrettReference(string path)
    {
        // Arrange
        var (moduli, x, w, wShoup) = Operands(seed: 2);
        var c = RandomResidues(new Random(3), moduli);
        c[0] = moduli[0].Value - 1; // x[0] * w[0] = 1 below: the sum is exactly q and must wrap to 0
        var expected = new ulong[x.Length];
        for (var j = 0; j < x.Length; j++)
        {
            expected[j] = moduli[j / N].Add(moduli[j / N].Multiply(x[j], w[j]), c[j]);
        }

        // Act
        PolyArithmetic.MultiplyShoupAdd(x, w, wShoup, c, c, moduli, N, Enum.Parse<SimdWidth>(path));

        // Assert
        Assert.That(c, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Paths))]
    public void Add_RandomAndEdgeInputs_MatchesModulusAdd(string path)
    {
        // Arrange
        var moduli = Moduli();
        var random = new Random(4);
        var a = RandomResidues(random, moduli);
        var b = RandomResidues(random, moduli);
        a[0] = b[0] = moduli[0].Value - 1;   // largest sum, 2q - 2
        a[1] = 1;
        b[1] = moduli[0].Value - 1;          // sum exactly q
        a[2] = b[2] = 0;
        var expected = new ulong[a.Length];
        for (var j = 0; j < a.Length; j++)
        {
            expected[j] = moduli[j / N].Add(a[j], b[j]);
        }

        var actual = new ulong[a.Length];

        // Act
        for (var i = 0; i < moduli.Length; i++)
        {
            PolyArithmetic.Add(a.AsSpan(i * N, N), b.AsSpan(i * N, N), actual.AsSpan(i * N, N), moduli[i].Value, Enum.Parse<SimdWidth>(path));
        }

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Paths))]
    public void MultiplyShoupAdd_ShortAddend_ThrowsArgumentException(string path)
    {
        // Arrange
        var (moduli, x, w, wShoup) = Operands(seed: 5);
        var c = new ulong[N];
        var destination = new ulong[x.Length];

        // Act / Assert
        Assert.That(
            () => PolyArithmetic.MultiplyShoupAdd(x, w, wShoup, c, destination, moduli, N, Enum.Parse<SimdWidth>(path)),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("c"));
    }

    [TestCaseSource(nameof(Paths))]
    public void Add_DestinationShorterThanOperands_ThrowsArgumentException(string path)
    {
        // Arrange
        var a = new ulong[N];
        var b = new ulong[N];
        var destination = new ulong[N - 1];

        // Act / Assert
        Assert.That(
            () => PolyArithmetic.Add(a, b, destination, Moduli()[0].Value, Enum.Parse<SimdWidth>(path)),
            Throws.ArgumentException.With.Message.Contains($"{N} residues"));
    }

    /// <summary>A 50-bit (presets) and a 60-bit (SEAL setting) prime, with x and w random except at the block edges.</summary>
    private static (Modulus[] Moduli, ulong[] X, ulong[] W, ulong[] WShoup) Operands(int seed)
    {
        var moduli = Moduli();
        var random = new Random(seed);
        var x = RandomResidues(random, moduli);
        var w = RandomResidues(random, moduli);
        for (var i = 0; i < moduli.Length; i++)
        {
            var top = moduli[i].Value - 1;
            (x[i * N], w[i * N]) = (top, top);               // (q-1)^2 = 1 mod q
            (x[(i * N) + 1], w[(i * N) + 1]) = (0, top);
            (x[((i + 1) * N) - 1], w[((i + 1) * N) - 1]) = (top, 1); // last word: the scalar tail
        }

        var wShoup = new ulong[w.Length];
        PolyArithmetic.ShoupFactors(w, wShoup, moduli, N);
        return (moduli, x, w, wShoup);
    }

    private static Modulus[] Moduli() =>
        [new Modulus(PrimeGenerator.NttPrimes(50, 1, 4096)[0]), new Modulus(PrimeGenerator.NttPrimes(60, 1, 8192)[0])];

    private static ulong[] RandomResidues(Random random, Modulus[] moduli) =>
        [.. Enumerable.Range(0, moduli.Length * N).Select(j => (ulong)random.NextInt64((long)moduli[j / N].Value))];
}
