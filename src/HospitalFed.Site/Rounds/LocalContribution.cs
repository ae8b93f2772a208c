using System.Runtime.InteropServices;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds;

/// <summary>
/// The site's half of a federated binary classifier on its own extract (the plan's model:
/// logistic regression or an MLP, see <see cref="FederatedModel"/>): round 1 contributes
/// feature counts, sums and sums of squares; later rounds evaluate the incoming global model on
/// the local test split and train from it, contributing <c>[n_k delta_k, n_k, metric sums]</c>
/// (DESIGN.md "One round"). Rows never leave this object; only those vectors do, and only masked.
/// </summary>
public sealed class LocalContribution
{
    /// <summary>Rows evaluated per forward pass (bounds the evaluation workspace of a wide model).</summary>
    private const int EvaluationRows = 256;

    private readonly FeaturePipeline _pipeline;
    private readonly ExtractTable _train;
    private readonly ExtractTable _test;
    private readonly TrainingOptions _options;

    /// <summary>Creates the contribution over the site's train and test splits.</summary>
    /// <param name="schema">The consortium's extract schema.</param>
    /// <param name="train">The local training rows.</param>
    /// <param name="test">The local test rows (evaluation only).</param>
    /// <param name="options">Local training per round (the plan's hyperparameters).</param>
    public LocalContribution(ExtractSchema schema, ExtractTable train, ExtractTable test, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _pipeline = new FeaturePipeline(schema);
        _train = train;
        _test = test;
        _options = options;
    }

    /// <summary>The number of local training rows (n_k).</summary>
    public int TrainingRows => _train.Rows;

    /// <summary>Why this site cannot train <paramref name="plan"/>'s model on its extract, or null if it can.</summary>
    public string? Refusal(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            _ = ModelFor(plan);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Computes the vector this site contributes to <paramref name="invitation"/>'s round.</summary>
    /// <exception cref="InvalidDataException">The invitation's model or statistics do not fit the local schema.</exception>
    public float[] Compute(RoundInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (invitation.Kind == RoundKind.FeatureStatistics)
        {
            var statistics = _pipeline.ComputeStatistics(_train);
            var values = new double[statistics.VectorLength];
            statistics.WriteTo(values);
            return [.. values.Select(v => (float)v)];
        }

        if (invitation.Kind != RoundKind.Training)
        {
            throw new InvalidDataException($"Round {invitation.Round} has an unknown kind ({invitation.Kind}).");
        }

        IModel<float> model;
        try
        {
            model = ModelFor(TrainingPlan.Parse(invitation.Plan.Span));
        }
        catch (Exception ex) when (ex is FormatException or PlanException)
        {
            throw new InvalidDataException($"Round {invitation.Round}: {ex.Message}", ex);
        }

        var global = MemoryMarshal.Cast<byte, float>(invitation.GlobalModel.Span).ToArray();
        if (global.Length != model.Layout.Count || invitation.FeatureStatistics.Count != 3 * _pipeline.FeatureCount)
        {
            throw new InvalidDataException(
                $"Round {invitation.Round} sends {global.Length} parameters and {invitation.FeatureStatistics.Count} statistics; this site's schema needs {model.Layout.Count} and {3 * _pipeline.FeatureCount}.");
        }

        var pooled = FeatureStatistics.ReadFrom([.. invitation.FeatureStatistics]);
        var train = _pipeline.Transform(_train, pooled);
        var test = _pipeline.Transform(_test, pooled);

        // Evaluate the incoming model first: its pooled metrics are sums, summed with the update.
        var probabilities = new float[test.Rows];
        model.Predict(global, test.Features, test.Rows, probabilities, model.CreateWorkspace(Math.Clamp(test.Rows, 1, EvaluationRows)));
        var metricSums = new float[BinaryMetricSums.Length];
        BinaryMetricSums.From(probabilities, test.Targets).WriteTo(metricSums);

        var local = (float[])global.Clone();
        var seed = unchecked((int)invitation.Round * 7919) ^ _train.Rows;
        new LocalTrainer(model, _options with { Seed = _options.Seed ?? seed }).Train(local, train, global);
        var layout = new UpdateVectorLayout(global.Length, BinaryMetricSums.Length);
        var update = new float[layout.Length];
        SiteUpdate.Write(layout, global, local, train.Rows, metricSums, update);
        return update;
    }

    private IModel<float> ModelFor(TrainingPlan plan) => FederatedModel.Parse(plan.Document["model"]).Create(_pipeline.FeatureCount);
}
