using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Tests.Arithmetic;

public sealed class NttTests
{
    [TestCase(2048, 54)]
    [TestCase(4096, 36)]
    [TestCase(8192, 60)]
    public void Multiply_ViaNtt_MatchesSchoolbookNegacyclic(int n, int bits)
    {
        // Arrange
        var q = new Modulus(PrimeGenerator.NttPrimes(bits, 1, n)[0]);
        var tables = new NttTables(q, n);
        var random = new Random(n + bits);
        var a = RandomPoly(random, n, q.Value);
        var b = RandomPoly(random, n, q.Value);
        var expected = Schoolbook(a, b, q);

        // Act
        var fa = (ulong[])a.Clone();
        var fb = (ulong[])b.Clone();
        Ntt.Forward(fa, tables);
        Ntt.Forward(fb, tables);
        var product = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            product[i] = q.Multiply(fa[i], fb[i]);
        }

        Ntt.Inverse(product, tables);

        // Assert
        Assert.That(product, Is.EqualTo(expected));
    }

    [Test]
    public void ForwardThenInverse_RandomInput_IsIdentityAndFullyReduced()
    {
        // Arrange
        const int n = 2048;
        var q = new Modulus(PrimeGenerator.NttPrimes(61, 1, n)[0]);
        var tables = new NttTables(q, n);
        var original = RandomPoly(new Random(7), n, q.Value);
        var values = (ulong[])original.Clone();

        // Act
        Ntt.Forward(values, tables);
        var allReduced = values.All(v => v < q.Value);
        Ntt.Inverse(values, tables);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allReduced, Is.True);
            Assert.That(values, Is.EqualTo(original));
        });
    }

    [Test]
    public void Forward_MonomialX_EvaluatesAtOddPowersOfPsi()
    {
        // Arrange: NTT(X)[i] = psi^(2 bitrev(i) + 1)
        const int n = 2048;
        var q = new Modulus(PrimeGenerator.NttPrimes(40, 1, n)[0]);
        var tables = new NttTables(q, n);
        var values = new ulong[n];
        values[1] = 1;

        // Act
        Ntt.Forward(values, tables);

        // Assert
        for (var i = 0; i < n; i += 97)
        {
            var exponent = (2UL * NttTables.BitReverse((uint)i, tables.LogDegree)) + 1;
            Assert.That(values[i], Is.EqualTo(q.Pow(tables.Root, exponent)), $"index {i}");
        }
    }

    private static ulong[] RandomPoly(Random random, int n, ulong q) =>
        [.. Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64((long)q))];

    private static ulong[] Schoolbook(ulong[] a, ulong[] b, Modulus q)
    {
        var n = a.Length;
        var result = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var product = q.Multiply(a[i], b[j]);
                var k = i + j;
                result[k % n] = k < n ? q.Add(result[k], product) : q.Subtract(result[k - n], product);
            }
        }

        return result;
    }
}
