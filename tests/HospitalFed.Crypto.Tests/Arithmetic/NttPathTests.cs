using System.Collections.Concurrent;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Tests.Arithmetic;

/// <summary>
/// Every NTT path this machine supports (scalar always; AVX2 and AVX-512 when present) against the
/// scalar reference, bit for bit. The test names carry the path, and
/// <see cref="SimdSupport_ThisMachine_ListsThePathsUnderTest"/> prints which ones ran.
/// </summary>
public sealed class NttPathTests
{
    // 50-bit primes are the presets', 60-bit the SEAL comparison setting's, 61 bits the largest Modulus allows.
    private static readonly int[] PrimeBits = [50, 60, Modulus.MaxBits];

    // 4 and 8 are below the AVX-512 minimum (scalar fallback), 8 is the AVX2 minimum, 16 the AVX-512 one.
    private static readonly int[] RingDegrees = [4, 8, 16, 2048, 4096, 8192, 16384];

    private static readonly ConcurrentDictionary<(int Bits, int N), NttTables> Tables = new();

    public static IEnumerable<string> Paths => SimdSupport.Supported.Select(width => width.ToString());

    public static IEnumerable<TestCaseData> PathsPrimesAndDegrees =>
        from path in Paths
        from bits in PrimeBits
        from n in RingDegrees
        select new TestCaseData(path, bits, n).SetArgDisplayNames(path, $"{bits}-bit", $"N={n}");

    [Test]
    public void SimdSupport_ThisMachine_ListsThePathsUnderTest()
    {
        // Arrange
        var supported = SimdSupport.Supported;

        // Act
        TestContext.Progress.WriteLine($"NTT paths tested on this machine: {string.Join(", ", supported)} (best: {SimdSupport.Best})");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(supported[0], Is.EqualTo(SimdWidth.Scalar));
            Assert.That(supported[^1], Is.EqualTo(SimdSupport.Best));
        });
    }

    [TestCaseSource(nameof(PathsPrimesAndDegrees))]
    public void Forward_RandomInput_MatchesScalarExactly(string path, int bits, int n)
    {
        // Arrange
        var tables = TablesFor(bits, n);
        var input = RandomPoly(new Random(HashCode.Combine(bits, n, 1)), n, tables.Modulus.Value);
        var expected = (ulong[])input.Clone();
        Ntt.Forward(expected, tables, SimdWidth.Scalar);
        var actual = (ulong[])input.Clone();

        // Act
        Ntt.Forward(actual, tables, Enum.Parse<SimdWidth>(path));

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PathsPrimesAndDegrees))]
    public void Inverse_RandomInput_MatchesScalarExactly(string path, int bits, int n)
    {
        // Arrange
        var tables = TablesFor(bits, n);
        var input = RandomPoly(new Random(HashCode.Combine(bits, n, 2)), n, tables.Modulus.Value);
        var expected = (ulong[])input.Clone();
        Ntt.Inverse(expected, tables, SimdWidth.Scalar);
        var actual = (ulong[])input.Clone();

        // Act
        Ntt.Inverse(actual, tables, Enum.Parse<SimdWidth>(path));

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PathsPrimesAndDegrees))]
    public void ForwardThenInverse_RandomInput_IsIdentityAndFullyReduced(string path, int bits, int n)
    {
        // Arrange
        var width = Enum.Parse<SimdWidth>(path);
        var tables = TablesFor(bits, n);
        var original = RandomPoly(new Random(HashCode.Combine(bits, n, 3)), n, tables.Modulus.Value);
        var values = (ulong[])original.Clone();

        // Act
        Ntt.Forward(values, tables, width);
        var forwardReduced = values.All(v => v < tables.Modulus.Value);
        Ntt.Inverse(values, tables, width);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(forwardReduced, Is.True, "forward output in [0, q)");
            Assert.That(values, Is.EqualTo(original));
        });
    }

    [TestCaseSource(nameof(Paths))]
    public void BothDirections_EdgeValues_MatchScalarExactly(string path)
    {
        // Arrange: all zero, all q - 1 (the largest input, which drives every lazy bound to its
        // top), alternating 0 / q - 1, and q - 1 on a single coefficient, for the 60- and 61-bit primes.
        var width = Enum.Parse<SimdWidth>(path);
        const int n = 4096;
        foreach (var bits in new[] { 60, Modulus.MaxBits })
        {
            var tables = TablesFor(bits, n);
            var top = tables.Modulus.Value - 1;
            var single = new ulong[n];
            single[n - 1] = top;
            var inputs = new Dictionary<string, ulong[]>
            {
                ["zeros"] = new ulong[n],
                ["all q-1"] = Enumerable.Repeat(top, n).ToArray(),
                ["alternating"] = [.. Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0 : top)],
                ["single q-1"] = single,
            };

            foreach (var (name, input) in inputs)
            {
                var expectedForward = (ulong[])input.Clone();
                Ntt.Forward(expectedForward, tables, SimdWidth.Scalar);
                var expectedInverse = (ulong[])input.Clone();
                Ntt.Inverse(expectedInverse, tables, SimdWidth.Scalar);

                // Act
                var forward = (ulong[])input.Clone();
                Ntt.Forward(forward, tables, width);
                var inverse = (ulong[])input.Clone();
                Ntt.Inverse(inverse, tables, width);
                var roundTrip = (ulong[])forward.Clone();
                Ntt.Inverse(roundTrip, tables, width);

                // Assert
                Assert.Multiple(() =>
                {
                    Assert.That(forward, Is.EqualTo(expectedForward), $"{bits}-bit, {name}, forward");
                    Assert.That(inverse, Is.EqualTo(expectedInverse), $"{bits}-bit, {name}, inverse");
                    Assert.That(roundTrip, Is.EqualTo(input), $"{bits}-bit, {name}, round trip");
                });
            }
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Forward_WrongLength_ThrowsArgumentException(string path)
    {
        // Arrange
        var tables = TablesFor(50, 16);
        var values = new ulong[15];

        // Act / Assert
        Assert.That(() => Ntt.Forward(values, tables, Enum.Parse<SimdWidth>(path)), Throws.ArgumentException.With.Message.Contains("expected 16"));
    }

    private static NttTables TablesFor(int bits, int n) =>
        Tables.GetOrAdd((bits, n), key => new NttTables(new Modulus(PrimeGenerator.NttPrimes(key.Bits, 1, key.N)[0]), key.N));

    private static ulong[] RandomPoly(Random random, int n, ulong q) =>
        [.. Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64((long)q))];
}
