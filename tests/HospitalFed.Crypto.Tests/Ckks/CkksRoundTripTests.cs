using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksRoundTripTests
{
    private static IEnumerable<TestCaseData> Contexts()
    {
        yield return new TestCaseData("small");
        yield return new TestCaseData("wide");
        yield return new TestCaseData("two-prime");
        yield return new TestCaseData("seal");
    }

    [TestCaseSource(nameof(Contexts))]
    public void DecryptEncrypt_PublicKey_WithinErrorBound(string name)
    {
        // Arrange
        var context = Resolve(name);
        using var random = SeededRandomSource.FromLabel("pk-round-trip-" + name);
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var publicKey = generator.GeneratePublicKey(secretKey);
        var values = CkksTestData.RandomValues(context.Parameters.ValuesPerCiphertext, 1);

        // Act
        var ciphertext = new CkksEncryptor(context, publicKey, random).Encrypt(values);
        var decrypted = new CkksDecryptor(context, secretKey).Decrypt(ciphertext);

        // Assert
        Assert.That(CkksTestData.MaxError(values, decrypted), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [TestCaseSource(nameof(Contexts))]
    public void DecryptEncrypt_SecretKey_SeededAndWithinErrorBound(string name)
    {
        // Arrange
        var context = Resolve(name);
        using var random = SeededRandomSource.FromLabel("sk-round-trip-" + name);
        using var secretKey = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var values = CkksTestData.RandomValues(context.Parameters.ValuesPerCiphertext - 5, 2, 50);

        // Act
        var ciphertext = new CkksEncryptor(context, secretKey, random).Encrypt(values);
        var decrypted = new CkksDecryptor(context, secretKey).Decrypt(ciphertext);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ciphertext.IsSeeded, Is.True);
            Assert.That(CkksTestData.MaxError(values, decrypted.AsSpan(0, values.Length)), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(decrypted.Skip(values.Length), Is.All.EqualTo(0).Within(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void Add_HundredSummands_SumWithinTwoToMinusTwenty()
    {
        // Arrange
        var context = CkksTestData.Small;
        using var random = SeededRandomSource.FromLabel("hundred");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var encryptor = new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random);
        var evaluator = new CkksEvaluator(context);
        var count = context.Parameters.ValuesPerCiphertext;
        var expected = new double[count];
        var sum = new CkksCiphertext(context);
        var fresh = new CkksCiphertext(context);

        // Act
        for (var site = 0; site < 100; site++)
        {
            var values = CkksTestData.RandomValues(count, 100 + site);
            for (var i = 0; i < count; i++)
            {
                expected[i] += values[i];
            }

            encryptor.Encrypt(values, fresh);
            evaluator.AddInPlace(sum, fresh);
        }

        var decrypted = new CkksDecryptor(context, secretKey).Decrypt(sum);

        // Assert
        Assert.That(CkksTestData.MaxError(expected, decrypted), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [Test]
    public void Add_OutOfPlace_LeavesInputsAndSums()
    {
        // Arrange
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("out-of-place");
        using var secretKey = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var encryptor = new CkksEncryptor(context, secretKey, random);
        var a = CkksTestData.RandomValues(1000, 3);
        var b = CkksTestData.RandomValues(1000, 4);
        var ca = encryptor.Encrypt(a);
        var cb = encryptor.Encrypt(b);
        var decryptor = new CkksDecryptor(context, secretKey);

        // Act
        var sum = new CkksEvaluator(context).Add(ca, cb);

        // Assert
        var expected = a.Zip(b, (x, y) => x + y).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(CkksTestData.MaxError(expected, decryptor.Decrypt(sum).AsSpan(0, 1000)), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(a, decryptor.Decrypt(ca).AsSpan(0, 1000)), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(sum.IsSeeded, Is.False);
            Assert.That(ca.IsSeeded, Is.True);
        });
    }

    [Test]
    public void Encrypt_CiphertextOfOtherContext_Throws()
    {
        // Arrange
        using var random = SeededRandomSource.FromLabel("other");
        using var secretKey = new CkksKeyGenerator(CkksTestData.Small, random).GenerateSecretKey();
        var encryptor = new CkksEncryptor(CkksTestData.Small, secretKey, random);

        // Act / Assert
        Assert.That(() => encryptor.Encrypt([1.0], new CkksCiphertext(CkksTestData.Wide)),
            Throws.ArgumentException.With.Message.Contains("other parameters"));
    }

    [Test]
    public void Encrypt_NonFiniteOrHugeValue_ThrowsNamingOffset()
    {
        using var random = SeededRandomSource.FromLabel("bad-values");
        using var secretKey = new CkksKeyGenerator(CkksTestData.Small, random).GenerateSecretKey();
        var encryptor = new CkksEncryptor(CkksTestData.Small, secretKey, random);

        Assert.Multiple(() =>
        {
            Assert.That(() => encryptor.Encrypt([0, 1, double.NaN]), Throws.ArgumentException.With.Message.Contains("offset 2"));
            Assert.That(() => encryptor.Encrypt([1e9]), Throws.ArgumentException.With.Message.Contains("too large"));
            Assert.That(() => encryptor.Encrypt(new double[1025]), Throws.ArgumentException.With.Message.Contains("at most 1024"));
        });
    }

    [Test]
    public void Decrypt_DisposedKey_Throws()
    {
        using var random = SeededRandomSource.FromLabel("disposed");
        var secretKey = new CkksKeyGenerator(CkksTestData.Small, random).GenerateSecretKey();
        var decryptor = new CkksDecryptor(CkksTestData.Small, secretKey);
        var ciphertext = new CkksEncryptor(CkksTestData.Small, secretKey, random).Encrypt([1.0]);

        secretKey.Dispose();
        secretKey.Dispose();

        Assert.That(() => decryptor.Decrypt(ciphertext), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Decrypt_DisposedDecryptor_Throws()
    {
        using var random = SeededRandomSource.FromLabel("disposed-decryptor");
        using var secretKey = new CkksKeyGenerator(CkksTestData.Small, random).GenerateSecretKey();
        var decryptor = new CkksDecryptor(CkksTestData.Small, secretKey);
        var ciphertext = new CkksEncryptor(CkksTestData.Small, secretKey, random).Encrypt([1.0]);

        decryptor.Dispose();

        Assert.That(() => decryptor.Decrypt(ciphertext), Throws.TypeOf<ObjectDisposedException>());
    }

    private static CkksContext Resolve(string name) => name switch
    {
        "small" => CkksTestData.Small,
        "wide" => CkksTestData.Wide,
        "seal" => CkksTestData.Seal,
        _ => CkksTestData.TwoPrime,
    };
}
