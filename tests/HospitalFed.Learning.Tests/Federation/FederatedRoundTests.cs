using HospitalFed.Learning.Features;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Tests.Data;

namespace HospitalFed.Learning.Tests.Federation;

/// <summary>A whole round from extracts to the next global model, with the server seeing only sums.</summary>
public sealed class FederatedRoundTests
{
    private static readonly string[] Extracts =
    [
        "63,1,1,x,1\n41,0,3,x,0\n57,1,2,x,2\n",
        "70,1,3,x,1\n35,0,1,x,0\n",
        "50,0,2,x,0\n66,1,3,x,3\n45,1,1,x,0\n52,0,2,x,1\n",
    ];

    [Test]
    public void FedAvgOfOneFullBatchStep_EqualsOneGradientStepOnThePooledData()
    {
        // Arrange: sites standardise with the federated statistics, read back from their vector form.
        var schema = TestSchemas.Small();
        var pipeline = new FeaturePipeline(schema);
        var tables = Extracts.Select(text => TestSchemas.Load(text, schema)).ToArray();
        var statistics = FeatureSums.Pool(tables.Select(pipeline.ComputeSums));
        var sites = tables.Select(t => pipeline.Transform(t, statistics)).ToArray();
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var options = new TrainingOptions { LearningRate = 0.5f, BatchSize = 16, LocalSteps = 1, Seed = 1 };
        var layout = new UpdateVectorLayout(model.Layout.Count, BinaryMetricSums.Length);
        var global = new float[model.Layout.Count];
        global[0] = 0.3f;
        var pooled = (float[])global.Clone();

        // Act: each site trains, evaluates the incoming model, and writes [n dw, n, metric sums].
        var updates = sites.Select(site =>
        {
            var local = (float[])global.Clone();
            new LocalTrainer(model, options).Train(local, site);
            var metrics = new float[BinaryMetricSums.Length];
            Evaluate(model, global, site).WriteTo(metrics);
            var update = new float[layout.Length];
            SiteUpdate.Write(layout, global, local, site.Rows, metrics, update);
            return update;
        }).ToList();
        var sum = new float[layout.Length];
        SiteUpdate.Sum(updates, sum);
        new FedAvg(model.Layout.Count).Apply(global, sum, layout);
        new LocalTrainer(model, options).Train(pooled, Dataset.Concatenate(sites));

        // Assert: FedAvg weights by n_k, so it reproduces the pooled step, and pooled metrics follow from sums.
        var pooledData = Dataset.Concatenate(sites);
        var fromSums = BinaryMetricSums.ReadFrom(sum.AsSpan(layout.MetricsOffset));
        var direct = Evaluate(model, [0.3f, .. new float[model.Layout.Count - 1]], pooledData);
        Assert.Multiple(() =>
        {
            Assert.That(global, Is.EqualTo(pooled).Within(1e-5));
            Assert.That(sum[layout.SampleCountIndex], Is.EqualTo(9));
            Assert.That(fromSums.Accuracy, Is.EqualTo(direct.Accuracy));
            Assert.That(fromSums.LogLoss, Is.EqualTo(direct.LogLoss).Within(1e-5));
        });
    }

    private static BinaryMetricSums Evaluate(IModel<float> model, float[] parameters, Dataset data)
    {
        var p = new float[data.Rows];
        model.Predict(parameters, data.Features, data.Rows, p, model.CreateWorkspace(8));
        return BinaryMetricSums.From(p, data.Targets);
    }
}
