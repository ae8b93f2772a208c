using System.Text.Json.Nodes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

/// <summary>One private FedAvg round: what sites encode, secure aggregation sums and the aggregator decodes.</summary>
public sealed class PrivateFedAvgRoundTests
{
    private const int Sites = 4;
    private const double ClipNorm = 1;

    private static TrainingPlan Plan(double epsilon = 3) => ConsortiumSimulation.Plan(
        rounds: 11,
        minSites: Sites,
        privacy: new JsonObject { ["epsilon"] = epsilon, ["delta"] = 1e-5, ["clipNorm"] = ClipNorm, ["minContributors"] = Sites });

    [Test]
    public void ApplyMean_FourSites_MovesTheModelByTheMeanOfTheClippedDeltasPlusNoiseOfTheStatedVariance()
    {
        // Arrange: 2,000 coordinates so the noise's sample variance is within a few percent of its
        // expectation; two deltas far outside the clip ball, two inside.
        const int dimension = 2_000;
        var plan = Plan();
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 2, dimension, Sites);
        var data = new Random(11);
        var global = Enumerable.Range(0, dimension).Select(_ => (float)data.NextDouble()).ToArray();
        var norms = new[] { 5.0, 0.3, 2.0, 0.9 };
        var locals = norms.Select(norm => Shifted(global, RandomDirection(data, dimension, norm))).ToArray();
        var expectedMean = new double[dimension];
        foreach (var local in locals)
        {
            var delta = local.Zip(global, (l, g) => l - g).ToArray();
            L2Clipping.Clip(delta, ClipNorm, delta);
            for (var i = 0; i < dimension; i++)
            {
                expectedMean[i] += delta[i] / (double)Sites;
            }
        }

        using var noise = SeededRandomSource.FromLabel("private fedavg round variance");
        var words = new uint[round.WordCount];
        var sum = new uint[round.WordCount];
        var next = (float[])global.Clone();

        // Act
        foreach (var local in locals)
        {
            round.EncodeContribution(global, local, words, noise);
            PrivateFedAvgRound.AddWords(words, sum);
        }

        round.ApplyMean(sum, Sites, next);

        // Assert: the residual is the decoded noise / k; its variance per coordinate is
        // k sigma^2 / (m gamma^2) / k^2 plus at most the rounding's k / (4 gamma^2) / k^2.
        var residual = Enumerable.Range(0, dimension).Select(i => next[i] - global[i] - expectedMean[i]).ToArray();
        var noiseVariance = round.Mechanism.DecodedNoiseVariance(Sites) / (Sites * Sites);
        var roundingVariance = Sites / (4 * round.Parameters.Scale * round.Parameters.Scale) / (Sites * Sites);
        var mean = residual.Average();
        var variance = residual.Select(r => (r - mean) * (r - mean)).Sum() / (dimension - 1);
        Assert.Multiple(() =>
        {
            Assert.That(round.WordCount, Is.EqualTo(2_048));
            Assert.That(noiseVariance, Is.GreaterThan(100 * roundingVariance), "the noise, not the rounding, dominates");
            Assert.That(Math.Abs(mean), Is.LessThan(4 * Math.Sqrt(noiseVariance / dimension)));
            // sd of a sample variance of 2,000 normals: sqrt(2 / 1999) = 3.2%; allow 5 of them.
            Assert.That(variance / noiseVariance, Is.InRange(0.84, 1.16 + (roundingVariance / noiseVariance)));
        });
    }

    [Test]
    public void DecodedNoiseVariance_SmallerEpsilon_GrowsWithTheSquareOfTheNoiseMultiplier()
    {
        // Arrange: the same plan at epsilon 1 and at epsilon 8.
        var loose = Plan(epsilon: 8);
        var tight = Plan(epsilon: 1);

        // Act
        var looseVariance = new PrivateFedAvgRound(loose.Privacy!, loose.Id, 2, 14, Sites).Mechanism.DecodedNoiseVariance(Sites);
        var tightVariance = new PrivateFedAvgRound(tight.Privacy!, tight.Id, 2, 14, Sites).Mechanism.DecodedNoiseVariance(Sites);

        // Assert: sigma scales with the noise multiplier (the clip norm and dimension are equal; the
        // two rounds' scales gamma may differ, which moves Delta / gamma by a few parts in 10^7).
        var ratio = tight.Privacy!.NoiseMultiplier / loose.Privacy!.NoiseMultiplier;
        Assert.That(tightVariance / looseVariance, Is.EqualTo(ratio * ratio).Within(1e-3).Percent);
    }

    [Test]
    public void ApplyMean_FewerContributorsThanTheMinimum_IsRefusedAndTheModelIsUntouched()
    {
        var plan = Plan();
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 2, 14, Sites);
        var global = new float[14];

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => round.ApplyMean(new uint[round.WordCount], Sites - 1, global))!;

        Assert.That(ex.Message, Does.Contain("round 2 releases a sum of 4 to 4 contributors"));
        Assert.That(global, Is.All.Zero);
    }

    [Test]
    public void EncodeContribution_ModelsOfTheWrongLength_AreRefusedNamingBothLengths()
    {
        var plan = Plan();
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 3, 14, Sites);

        var ex = Assert.Throws<ArgumentException>(() => round.EncodeContribution(new float[14], new float[13], new uint[round.WordCount]))!;

        Assert.That(ex.Message, Does.Contain("two models of 14 parameters; got 14 (global) and 13 (local)"));
    }

    [Test]
    public void Constructor_StatisticsRound_IsRefused()
    {
        var plan = Plan();

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 1, 14, Sites));
    }

    [Test]
    public void EncodeDelta_DeltaBeyondTheClipNorm_DecodesToTheClippedDelta()
    {
        // Arrange: a delta of norm 10 under clip norm 1, little noise (epsilon 100), averaged over trials.
        var plan = Plan(epsilon: 100);
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 3, 14, Sites);
        var random = new SeededRandomSource(Enumerable.Repeat((byte)7, 32).ToArray());
        var delta = RandomDirection(new Random(9), 14, norm: 10);
        const int trials = 200;
        var mean = new double[14];
        var words = new uint[round.WordCount];
        var decoded = new double[14];

        // Act
        for (var t = 0; t < trials; t++)
        {
            round.EncodeDelta(delta, words, random);
            round.Mechanism.DecodeSum(words, decoded);
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += decoded[i] / trials;
            }
        }

        // Assert: the clipped delta (norm 1, same direction), not the delta.
        var norm = Math.Sqrt(mean.Sum(x => x * x));
        var cosine = mean.Select((x, i) => x * delta[i]).Sum() / (norm * 10);
        Assert.That(norm, Is.EqualTo(ClipNorm).Within(0.1));
        Assert.That(cosine, Is.GreaterThan(0.99));
    }

    [Test]
    public void Constructor_SameRoundAtTwoSites_SameMechanismAndWordCount_AnotherRoundAnotherRotation()
    {
        var plan = Plan();

        var site = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 2, 14, Sites);
        var other = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 2, 14, Sites);
        var next = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 3, 14, Sites);

        Assert.That(site.WordCount, Is.EqualTo(16), "14 parameters pad to 16 words");
        Assert.That(site.Mechanism.Parameters, Is.EqualTo(other.Mechanism.Parameters));
        Assert.That(next.Mechanism.Parameters, Is.Not.EqualTo(site.Mechanism.Parameters), "each round has its own public rotation");
    }

    [Test]
    public void EncodeDelta_WrongLength_RefusedNamingBothLengths()
    {
        var plan = Plan();
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, 2, 14, Sites);

        var ex = Assert.Throws<ArgumentException>(() => round.EncodeDelta(new float[13], new uint[round.WordCount]))!;

        Assert.That(ex.Message, Does.Contain("a delta of 14 parameters; got 13"));
    }

    private static float[] RandomDirection(Random random, int dimension, double norm)
    {
        var v = Enumerable.Range(0, dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
        var length = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => (float)(x * norm / length))];
    }

    private static float[] Shifted(float[] global, float[] delta) => [.. global.Zip(delta, (g, d) => g + d)];
}
