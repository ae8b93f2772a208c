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
/// logistic regression or an MLP, see <see cref="FederatedModel"/>): round 1 contributes the
/// limb encoding of its exact feature counts, sums and sums of squares (<see cref="FeatureSums"/>);
/// later rounds evaluate the incoming global model on the local test split and train from it, contributing <c>[n_k delta_k, n_k, metric sums]</c>
/// (DESIGN.md "One round"). Under a plan with differential privacy, round 1 contributes zeros (every
/// site standardises with <see cref="FeaturePipeline.PublicStatistics"/>) and later rounds the
/// unweighted model delta alone, which <see cref="SiteAgent"/> clips, noises and encodes.
/// Rows never leave this object; only those vectors do, and only masked.
/// </summary>
public sealed class LocalContribution
{
    /// <summary>Rows evaluated per forward pass (bounds the evaluation workspace of a wide model).</summary>
    private const int EvaluationRows = 256;

    private readonly ExtractSchema _schema;
    private readonly FeaturePipeline _pipeline;
    private readonly ExtractTable _train;
    private readonly ExtractTable _test;
    private readonly string _site;

    /// <summary>Creates the contribution over the site's train and test splits.</summary>
    /// <param name="schema">The consortium's extract schema.</param>
    /// <param name="train">The local training rows.</param>
    /// <param name="test">The local test rows (evaluation only).</param>
    /// <param name="site">The site's consortium name (a derived shuffling seed covers it, see <see cref="SeedPolicy"/>).</param>
    /// <remarks>Local training takes nothing from here: every round trains with the invitation's plan's <c>hyperparameters</c>.</remarks>
    public LocalContribution(ExtractSchema schema, ExtractTable train, ExtractTable test, string site)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentException.ThrowIfNullOrEmpty(site);
        _schema = schema;
        _pipeline = new FeaturePipeline(schema);
        _train = train;
        _test = test;
        _site = site;
    }

    /// <summary>The number of local training rows (n_k).</summary>
    public int TrainingRows => _train.Rows;

    /// <summary>
    /// Why this site cannot train <paramref name="plan"/>'s model on its extract (the plan's
    /// features differ from the schema's feature columns, naming them, or the model does not fit),
    /// or null if it can.
    /// </summary>
    public string? Refusal(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.FeatureMismatch(_schema) is { } mismatch)
        {
            return mismatch;
        }

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
        if (invitation.Kind is not (RoundKind.FeatureStatistics or RoundKind.Training))
        {
            throw new InvalidDataException($"Round {invitation.Round} has an unknown kind ({invitation.Kind}).");
        }

        IModel<float> model;
        TrainingPlan plan;
        try
        {
            plan = TrainingPlan.Parse(invitation.Plan.Span);
            model = ModelFor(plan);
        }
        catch (Exception ex) when (ex is FormatException or PlanException)
        {
            throw new InvalidDataException($"Round {invitation.Round}: {ex.Message}", ex);
        }

        if (invitation.Kind == RoundKind.FeatureStatistics)
        {
            // Under differential privacy the statistics round releases nothing that depends on the
            // records: the sites contribute zeros and everyone standardises with the schema's public
            // ranges (FeaturePipeline.PublicStatistics; docs/privacy.md, "Round 1").
            var features = _pipeline.FeatureCount;
            var values = new float[FeatureSums.VectorLength(features)];
            if (plan.Privacy is null)
            {
                _pipeline.ComputeSums(_train).WriteTo(values);
            }

            return values;
        }

        if (plan.FeatureMismatch(_schema) is { } mismatch)
        {
            throw new InvalidDataException($"Round {invitation.Round}: {mismatch}");
        }

        var global = MemoryMarshal.Cast<byte, float>(invitation.GlobalModel.Span).ToArray();
        var statisticsLength = FeatureStatistics.VectorLengthFor(_pipeline.FeatureCount);
        if (global.Length != model.Layout.Count || invitation.FeatureStatistics.Count != statisticsLength)
        {
            throw new InvalidDataException(
                $"Round {invitation.Round} sends {global.Length} parameters and {invitation.FeatureStatistics.Count} statistics; this site's schema needs {model.Layout.Count} and {statisticsLength}.");
        }

        FeatureStatistics pooled;
        try
        {
            pooled = plan.Privacy is null ? FeatureStatistics.ReadFrom([.. invitation.FeatureStatistics]) : _pipeline.PublicStatistics();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Round {invitation.Round}: {ex.Message}", ex);
        }

        var train = _pipeline.Transform(_train, pooled);
        if (plan.Privacy is not null)
        {
            // The unweighted model delta and nothing else: no sample count (private, and a weight
            // would make one site's influence depend on it) and no pooled metrics (exact functions
            // of the records outside the noised sum). SiteAgent clips, rotates, noises and encodes it.
            var trained = (float[])global.Clone();
            new LocalTrainer(model, plan.Training.SiteOptions(plan.Id, invitation.Round, plan.Rounds, _site)).Train(trained, train, global);
            System.Numerics.Tensors.TensorPrimitives.Subtract(trained, global, trained);
            return trained;
        }

        var test = _pipeline.Transform(_test, pooled);

        // Evaluate the incoming model first: its pooled metrics are sums, summed with the update.
        var probabilities = new float[test.Rows];
        model.Predict(global, test.Features, test.Rows, probabilities, model.CreateWorkspace(Math.Clamp(test.Rows, 1, EvaluationRows)));
        var metricSums = new float[BinaryEvaluationSums.Length];
        BinaryEvaluationSums.From(probabilities, test.Targets).WriteTo(metricSums);

        var local = (float[])global.Clone();
        new LocalTrainer(model, plan.Training.SiteOptions(plan.Id, invitation.Round, plan.Rounds, _site)).Train(local, train, global);
        var layout = new UpdateVectorLayout(global.Length, BinaryEvaluationSums.Length);
        var update = new float[layout.Length];
        SiteUpdate.Write(layout, global, local, train.Rows, metricSums, update);
        return update;
    }

    private IModel<float> ModelFor(TrainingPlan plan) => plan.Training.Model.Create(_pipeline.FeatureCount);
}
