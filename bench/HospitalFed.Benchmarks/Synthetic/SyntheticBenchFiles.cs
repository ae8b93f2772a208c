using System.Text.Json.Nodes;
using HospitalFed.Benchmarks.Federation;
using HospitalFed.Learning.Synthetic;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>
/// The synthetic benchmark's <see cref="LoopbackConsortium"/>: the cohort's schema and extracts
/// written where the aggregator and site configs point, and an approved plan that sets only the
/// members a plan must have: a logistic model, <c>fedavg</c>, the rounds, the protection and the
/// minimum sites. <c>hyperparameters</c> is an empty object, so every site trains with the
/// defaults (admin-guide.md "The plan file").
/// </summary>
internal static class SyntheticBenchFiles
{
    public static LoopbackConsortium Create(string directory, SyntheticCohort cohort, SyntheticBenchSettings settings, int port)
    {
        var files = new LoopbackConsortium(directory, Plan(cohort, settings), [.. cohort.Sites.Select(s => s.Name)], port);
        cohort.WriteTo(files.Directory); // schema.json and <site>.train.csv / <site>.test.csv, the names LoopbackConsortium's configs use
        return files;
    }

    /// <summary>The plan: only required members, nothing tuned.</summary>
    public static TrainingPlan Plan(SyntheticCohort cohort, SyntheticBenchSettings settings)
    {
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: settings.Rounds, minSites: SyntheticBenchSettings.MinSites, protection: settings.Protection).Document.DeepClone();
        document["features"] = new JsonArray([.. cohort.Schema.FeatureColumns.Select(c => JsonValue.Create(c))]);
        document["model"] = new JsonObject { ["kind"] = "logistic" };
        document["hyperparameters"] = new JsonObject();
        document["strategy"] = new JsonObject { ["kind"] = "fedavg" };
        return TrainingPlan.FromNode(document);
    }
}
