using System.Text.Json.Nodes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.Rounds;

namespace HospitalFed.Site.Tests.Rounds;

/// <summary>
/// A site's encoding of its delta in a training round of a plan with differential privacy, decoded
/// as the aggregator decodes the secure sum (sum of the words mod 2^32, then the round's mechanism).
/// Seeded randomness, so every figure below is reproducible.
/// </summary>
[TestFixture]
public sealed class PrivateUpdateEncodingTests
{
    private const int Dimension = 14; // logistic regression over the 13 heart-disease features: padded to 16 words
    private const int Invited = 4;

    [Test]
    public void Encode_ThreeSitesSummed_DecodedSumDiffersFromTheNoiselessSumWithTheMechanismsVariance()
    {
        // Arrange: deltas inside the clip norm, so the decoded sum is their sum plus noise (and negligible rounding).
        var plan = Plan(epsilon: 3);
        var random = new SeededRandomSource(new byte[32]);
        var mechanism = PrivateUpdateEncoding.Mechanism(plan, round: 2, Dimension, Invited);
        var deltas = Enumerable.Range(0, 3).Select(k => Delta(k + 1, norm: 0.5)).ToArray();
        var expected = Enumerable.Range(0, Dimension).Select(i => deltas.Sum(d => (double)d[i])).ToArray();
        const int trials = 200;
        double squares = 0;

        // Act
        for (var t = 0; t < trials; t++)
        {
            var decoded = DecodeSum(mechanism, deltas.Select(d => PrivateUpdateEncoding.Encode(plan, 2, Invited, d, random)));
            squares += decoded.Select((x, i) => (x - expected[i]) * (x - expected[i])).Sum();
        }

        // Assert: k sigma^2 / (m gamma^2) per coordinate, within 10% over 2800 samples (relative standard error 2.7%).
        var variance = squares / (trials * Dimension);
        Assert.That(variance, Is.EqualTo(mechanism.DecodedNoiseVariance(3)).Within(10).Percent);
        Assert.That(mechanism.DecodedNoiseVariance(3), Is.GreaterThan(0.1), "the noise is not negligible at epsilon 3");
    }

    [Test]
    public void Encode_DeltaBeyondTheClipNorm_DecodesToTheClippedDelta()
    {
        // Arrange: a delta of norm 10 under clip norm 1, little noise (epsilon 100), averaged over trials.
        var plan = Plan(epsilon: 100);
        var random = new SeededRandomSource(Enumerable.Repeat((byte)7, 32).ToArray());
        var mechanism = PrivateUpdateEncoding.Mechanism(plan, round: 3, Dimension, Invited);
        var delta = Delta(9, norm: 10);
        const int trials = 200;
        var mean = new double[Dimension];

        // Act
        for (var t = 0; t < trials; t++)
        {
            var decoded = DecodeSum(mechanism, [PrivateUpdateEncoding.Encode(plan, 3, Invited, delta, random)]);
            for (var i = 0; i < Dimension; i++)
            {
                mean[i] += decoded[i] / trials;
            }
        }

        // Assert: the clipped delta (norm 1, same direction), not the delta.
        var norm = Math.Sqrt(mean.Sum(x => x * x));
        var cosine = mean.Select((x, i) => x * delta[i]).Sum() / (norm * 10);
        Assert.That(norm, Is.EqualTo(1).Within(0.1));
        Assert.That(cosine, Is.GreaterThan(0.99));
    }

    [Test]
    public void Encode_PlanWithoutPrivacy_RefusedNamingThePlan()
    {
        var plan = ConsortiumSimulation.Plan(rounds: 4);

        var ex = Assert.Throws<ArgumentException>(() => PrivateUpdateEncoding.Encode(plan, 2, Invited, new float[Dimension]));

        Assert.That(ex!.Message, Does.Contain($"plan {plan.Id} has no privacy section"));
    }

    [Test]
    public void Encode_SameRoundAtTwoSites_SameMechanismAndWordCount()
    {
        var plan = Plan(epsilon: 3);

        var words = PrivateUpdateEncoding.Encode(plan, 2, Invited, Delta(1, 0.5));

        Assert.That(words, Has.Length.EqualTo(16));
        var site = PrivateUpdateEncoding.Mechanism(plan, 2, Dimension, Invited).Parameters;
        var other = PrivateUpdateEncoding.Mechanism(plan, 2, Dimension, Invited).Parameters;
        Assert.That(site, Is.EqualTo(other));
        Assert.That(PrivateUpdateEncoding.Mechanism(plan, 3, Dimension, Invited).Parameters, Is.Not.EqualTo(site), "each round has its own public rotation");
    }

    private static TrainingPlan Plan(double epsilon) =>
        ConsortiumSimulation.Plan(rounds: 4, minSites: 3, privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = 1e-5, ["epsilon"] = epsilon });

    /// <summary>A fixed delta of the given L2 norm (a different direction per <paramref name="seed"/>).</summary>
    private static float[] Delta(int seed, double norm)
    {
        var values = Enumerable.Range(0, Dimension).Select(i => (float)Math.Sin((seed * 31) + (i * 7) + 1)).ToArray();
        var length = Math.Sqrt(values.Sum(v => (double)v * v));
        return [.. values.Select(v => (float)(v * norm / length))];
    }

    private static double[] DecodeSum(Crypto.Privacy.DistributedDiscreteGaussian mechanism, IEnumerable<uint[]> uploads)
    {
        var sum = new uint[mechanism.PaddedDimension];
        foreach (var words in uploads)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = unchecked(sum[i] + words[i]);
            }
        }

        var decoded = new double[Dimension];
        mechanism.DecodeSum(sum, decoded);
        return decoded;
    }
}
