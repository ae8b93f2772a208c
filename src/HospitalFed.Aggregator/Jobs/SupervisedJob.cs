using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Metrics;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Jobs;

/// <summary>
/// The aggregator's half of a federated binary classifier (the plan's model: logistic regression
/// or an MLP, see <see cref="FederatedModel"/>): round 1 sums the sites' exact feature sums
/// (<see cref="FeatureSums"/>, so everyone standardises with the pooled mean and deviation without
/// pooling rows), rounds 2..R
/// sum <c>[n_k delta_k, n_k, metric sums]</c> (DESIGN.md "One round") and apply the plan's server
/// strategy. It only ever sees sums.
/// </summary>
public sealed class SupervisedJob : IFederatedJob
{
    /// <summary>Per-coordinate bound of a site's weighted delta n_k (w_local - w_global); values beyond are clamped.</summary>
    public const double WeightedDeltaBound = 4096;

    /// <summary>
    /// Bound of a site's sample count and of its test rows, hence of every metric count and sum
    /// (the log-loss sum gets <see cref="BinaryEvaluationSums.MaxRowLogLoss"/> times it); refused beyond, never clamped.
    /// </summary>
    public const double CountBound = 1 << 20;

    /// <summary>The name of the single segment of a training round under differential privacy: the d' encoded words.</summary>
    public const string PrivateWordsSegment = "dp-encoded-words";

    private readonly ServerStrategy _strategy;
    private readonly UpdateVectorLayout _layout;
    private readonly FeaturePipeline _pipeline;
    private readonly bool _private;
    private double[] _statistics = [];

    /// <summary>Creates the job for the plan's <paramref name="training"/> over features encoded by <paramref name="schema"/>.</summary>
    /// <param name="schema">The consortium's extract schema (each site loads its extract with it).</param>
    /// <param name="training">The plan's model and server strategy (with its server learning rate).</param>
    /// <param name="rounds">The plan's number of rounds R (at least 2: statistics, then training).</param>
    /// <param name="initializationSeed">Seeds the initial weights (He-uniform for an MLP; logistic regression starts at zero).</param>
    /// <param name="differentialPrivacy">
    /// Whether the plan has a privacy section: round 1 then releases nothing (the statistics are
    /// the schema's public ones, <see cref="FeaturePipeline.PublicStatistics"/>) and training rounds
    /// carry the sites' encoded, noised deltas (<see cref="ApplyPrivate"/>). Default false.
    /// </param>
    /// <exception cref="ArgumentException">Fewer than 2 rounds.</exception>
    /// <exception cref="FormatException">The model is larger than <see cref="FederatedModel.MaxParameters"/>.</exception>
    public SupervisedJob(ExtractSchema schema, FederatedTraining training, long rounds, int initializationSeed, bool differentialPrivacy = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 2);
        _pipeline = new FeaturePipeline(schema);
        _private = differentialPrivacy;
        FeatureCount = _pipeline.FeatureCount;
        var network = training.Model.Create(FeatureCount);
        GlobalModel = new float[network.Layout.Count];
        network.Initialize(GlobalModel, new Random(initializationSeed));
        _layout = new UpdateVectorLayout(GlobalModel.Length, BinaryEvaluationSums.Length);
        _strategy = training.CreateStrategy(GlobalModel.Length);
        Rounds = rounds;
    }

    /// <summary>The number of encoded features.</summary>
    public int FeatureCount { get; }

    /// <inheritdoc />
    public long Rounds { get; }

    /// <inheritdoc />
    public float[] GlobalModel { get; }

    /// <inheritdoc />
    public IReadOnlyList<double> FeatureStatistics => _statistics;

    /// <summary>
    /// SHA-256 (hex) of the global state, the model parameters then the feature statistics (both
    /// little-endian): the content address logged as the round's model.
    /// </summary>
    public string Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(GlobalModel.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(_statistics.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Describes round <paramref name="round"/> (1 = statistics, 2..R = training).</summary>
    public RoundSpec Describe(long round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, Rounds);
        if (round == 1)
        {
            // Exact integer limbs (FeatureSums): every protection sums integer segments without
            // rounding, so the pooled mean and variance are exact whatever the features' scales.
            return new RoundSpec(RoundKind.FeatureStatistics, [], [],
            [
                new QuantizationSegment("feature-counts", FeatureCount, CountBound, ClipMode.None, IsInteger: true),
                new QuantizationSegment("feature-sum-limbs", FeatureCount * FeatureSums.SumLimbs, FeatureSums.LimbBound, ClipMode.None, IsInteger: true),
                new QuantizationSegment("feature-square-limbs", FeatureCount * FeatureSums.SquareLimbs, FeatureSums.LimbBound, ClipMode.None, IsInteger: true),
            ]);
        }

        if (_private)
        {
            // Each site uploads its d' words of Z_2^32 (PrivateUpdateEncoding): an integer segment
            // of scale 1, so the unmasked sum decodes to the signed integer sum that the round's
            // mechanism then decodes. The bound is nominal: the words are encoded, not quantised.
            var words = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_layout.ParameterCount);
            return new RoundSpec(RoundKind.Training, [.. GlobalModel], [.. _statistics],
                [new QuantizationSegment(PrivateWordsSegment, words, 1, ClipMode.None, IsInteger: true)]);
        }

        return new RoundSpec(RoundKind.Training, [.. GlobalModel], [.. _statistics],
        [
            new QuantizationSegment("weighted-delta", _layout.ParameterCount, WeightedDeltaBound, ClipMode.PerCoordinate),
            new QuantizationSegment("sample-count", 1, CountBound, ClipMode.None, IsInteger: true),
            .. MetricSegments,
        ]);
    }

    /// <summary>
    /// Applies the decoded sum of round <paramref name="round"/>: stores the pooled statistics
    /// (counts, sums, centred sums of squares), or updates the global model with the server strategy.
    /// </summary>
    /// <returns>
    /// For a training round, the pooled metrics of the model the round started from, evaluated by
    /// each site on its test split before training (sums only, see <see cref="BinaryEvaluationSums.Report"/>:
    /// AUC with its error bound, accuracy, balanced accuracy, log loss, Brier, ECE, test rows);
    /// empty for the statistics round.
    /// </returns>
    /// <exception cref="ArgumentException">The sum has the wrong length, or a statistics sum is not a sum of limb encodings.</exception>
    public IReadOnlyDictionary<string, double> Apply(long round, ReadOnlySpan<double> sum)
    {
        var spec = Describe(round);
        var length = spec.Segments.Sum(s => s.Length);
        if (sum.Length != length)
        {
            throw new ArgumentException($"Round {round} sums {length} coordinates, not {sum.Length}.", nameof(sum));
        }

        if (spec.Kind == RoundKind.FeatureStatistics)
        {
            // Under differential privacy the sites contributed zeros: nothing data-dependent is pooled.
            var pooled = _private ? _pipeline.PublicStatistics() : FeatureSums.ReadFrom(sum, FeatureCount).ToStatistics();
            _statistics = new double[pooled.VectorLength];
            pooled.WriteTo(_statistics);
            return new Dictionary<string, double>();
        }

        if (_private)
        {
            throw new ArgumentException($"Round {round} of a plan with differential privacy is decoded by its mechanism and applied with {nameof(ApplyPrivate)}.", nameof(round));
        }

        var summed = new float[sum.Length];
        for (var i = 0; i < summed.Length; i++)
        {
            summed[i] = (float)sum[i];
        }

        // The metric sums are read from the double sum: counts above 2^24 would not survive float.
        var metrics = BinaryEvaluationSums.ReadFrom(sum.Slice(_layout.MetricsOffset, _layout.MetricCount));
        _strategy.Apply(GlobalModel, summed, _layout);
        return metrics.Report();
    }

    /// <inheritdoc />
    public void ApplyPrivate(long round, ReadOnlySpan<double> deltaSum, int contributors)
    {
        if (!_private || Describe(round).Kind != RoundKind.Training)
        {
            throw new ArgumentException($"Round {round} is not a training round of a plan with differential privacy.", nameof(round));
        }

        if (deltaSum.Length != _layout.ParameterCount)
        {
            throw new ArgumentException($"Round {round} sums {_layout.ParameterCount} model deltas, not {deltaSum.Length}.", nameof(deltaSum));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(contributors, 1);

        // The strategy's vector [sum of deltas, count, metrics]: with the unweighted deltas and the
        // count k it averages them (FedAvg of the clipped deltas) before its server step.
        var summed = new float[_layout.Length];
        for (var i = 0; i < deltaSum.Length; i++)
        {
            summed[i] = (float)deltaSum[i];
        }

        summed[_layout.SampleCountIndex] = contributors;
        _strategy.Apply(GlobalModel, summed, _layout);
    }

    /// <summary>
    /// The evaluation sums' segments (<see cref="BinaryEvaluationSums.Segments"/>): a site's test
    /// rows are at most <see cref="CountBound"/>, which bounds every count and sum in them.
    /// </summary>
    private static IEnumerable<QuantizationSegment> MetricSegments =>
        BinaryEvaluationSums.Segments(CountBound).Select(s => new QuantizationSegment(s.Name, s.Length, s.Bound, ClipMode.None, s.IsInteger));
}
