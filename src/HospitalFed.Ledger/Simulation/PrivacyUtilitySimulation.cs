using System.Text.Json.Nodes;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Privacy;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Simulation;

/// <summary>
/// The utility of the differential-privacy mechanism, measured in process: FedAvg of a logistic
/// regression on the sites' extracts at each epsilon of <see cref="PrivacyUtilitySettings.Epsilons"/>,
/// applying exactly the deployed mechanism per round (<see cref="PrivateFedAvgRound"/>), and
/// scored on the sites' test rows pooled. No network, no disk.
/// </summary>
/// <remarks>
/// For a finite epsilon the run builds the training plan a data scientist would propose (logistic,
/// FedAvg, pairwise, minSites = minContributors = the number of sites, rounds = training rounds + 1,
/// the privacy section with the epsilon, delta and clip norm and a calibrated noise multiplier), then:
/// plan round 1 is replaced by public statistics from the schema's declared ranges
/// (<see cref="FeaturePipeline.PublicStatistics"/>, what a deployed site standardises with); in every training round each site encodes its unweighted delta
/// (<see cref="PrivateFedAvgRound.EncodeContribution"/>, noise from <c>noise</c>), the words are
/// summed mod 2^32, and the decoded sum / k moves the global model; each round is charged to a
/// <see cref="PrivacyBudget"/>, whose spent epsilon the row reports. Epsilon infinity gives two
/// reference rows: plain FedAvg as <c>hfed simulate</c> runs it (pooled statistics, sample-weighted,
/// no clipping) and the private pipeline without noise (public statistics, clipped, unweighted mean).
/// </remarks>
public static class PrivacyUtilitySimulation
{
    /// <summary>Runs every epsilon for every seed.</summary>
    /// <param name="centres">The sites (at least 2; binary target).</param>
    /// <param name="settings">Epsilons, delta, clip norm, rounds, seeds and local training.</param>
    /// <param name="noise">The mechanism's rounding coins and noise; default <see cref="CryptographicRandomSource.Shared"/> (seed it only for tests).</param>
    /// <param name="progress">Optional progress messages (row names).</param>
    /// <exception cref="ArgumentException">A setting or site is invalid (the message names it).</exception>
    /// <exception cref="PlanException">The plan the settings make is refused (the message names the field).</exception>
    public static IReadOnlyList<PrivacyUtilityRow> Run(IReadOnlyList<CentreData> centres, PrivacyUtilitySettings settings, IRandomSource? noise = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (centres.Count < 2)
        {
            throw new ArgumentException($"a private FedAvg simulation needs at least 2 sites; got {centres.Count}", nameof(centres));
        }

        noise ??= CryptographicRandomSource.Shared;
        var simulation = settings.Simulation;
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);
        var publicStatistics = pipeline.PublicStatistics();
        var rows = new List<PrivacyUtilityRow>();
        foreach (var epsilon in settings.Epsilons)
        {
            if (double.IsPositiveInfinity(epsilon))
            {
                progress?.Report("FedAvg, no differential privacy");
                var pooled = FeatureSums.Pool(centres.Select(c => pipeline.ComputeSums(c.Train)));
                var fedAvg = new StrategySpec { Kind = StrategyKind.FedAvg };
                rows.Add(new PrivacyUtilityRow(
                    PrivacyUtilityRow.PlainFedAvg,
                    epsilon,
                    null,
                    null,
                    FederatedSimulation.RunFederated("FedAvg", centres, pooled, simulation, _ => FederatedSimulation.StrategyRound(fedAvg.Create(pipeline.FeatureCount + 1)))));

                progress?.Report("Private pipeline without noise");
                rows.Add(new PrivacyUtilityRow(
                    PrivacyUtilityRow.WithoutNoise,
                    epsilon,
                    null,
                    null,
                    FederatedSimulation.RunFederated("Clipped mean", centres, publicStatistics, simulation, _ => ClippedMeanRound(settings.ClipNorm))));
                continue;
            }

            progress?.Report($"epsilon {epsilon}");
            var plan = Plan(pipeline, centres.Count, settings, epsilon);
            var privacy = plan.Privacy!;
            double? spent = null;
            var result = FederatedSimulation.RunFederated($"epsilon {epsilon}", centres, publicStatistics, simulation, _ =>
            {
                var budget = privacy.NewBudget();
                return (round, global, locals, _) =>
                {
                    budget = PrivateRound(plan, round + 1, global, locals, noise, budget);
                    if (round == simulation.Rounds)
                    {
                        spent = budget.SpentEpsilon;
                    }
                };
            });
            rows.Add(new PrivacyUtilityRow(PrivacyUtilityRow.Private, epsilon, privacy.NoiseMultiplier, spent, result));
        }

        return rows;
    }

    /// <summary>
    /// The training plan of the private rows: logistic regression over the schema's feature
    /// columns, FedAvg, pairwise masking, every site required (minSites = minContributors = sites),
    /// the settings' training rounds plus the statistics round, and the privacy section.
    /// </summary>
    /// <exception cref="PlanException">The plan is refused (the message names the field).</exception>
    public static TrainingPlan Plan(FeaturePipeline pipeline, int sites, PrivacyUtilitySettings settings, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(settings);
        return TrainingPlan.FromNode(new JsonObject
        {
            ["features"] = new JsonArray([.. pipeline.Schema.FeatureColumns.Select(f => JsonValue.Create(f))]),
            ["hyperparameters"] = new JsonObject(),
            ["minSites"] = sites,
            ["model"] = new JsonObject { ["kind"] = "logistic" },
            ["perRoundApproval"] = false,
            ["privacy"] = new JsonObject { ["clipNorm"] = settings.ClipNorm, ["delta"] = settings.Delta, ["epsilon"] = epsilon, ["minContributors"] = sites },
            ["protection"] = "pairwise",
            ["rounds"] = settings.Simulation.Rounds + 1,
            ["strategy"] = new JsonObject { ["kind"] = "fedavg" },
        });
    }

    /// <summary>
    /// One private FedAvg round as the deployed site and aggregator run it: every site's encoded
    /// words, their sum mod 2^32, the round charged, then global += decoded sum / k.
    /// </summary>
    /// <returns>The budget after the round's charge.</returns>
    /// <exception cref="InvalidOperationException">The round would exceed the budget (nothing is released).</exception>
    internal static PrivacyBudget PrivateRound(TrainingPlan plan, long planRound, float[] global, IReadOnlyList<float[]> locals, IRandomSource noise, PrivacyBudget budget)
    {
        var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, planRound, global.Length, locals.Count);
        var words = new uint[round.WordCount];
        var sum = new uint[round.WordCount];
        foreach (var local in locals)
        {
            round.EncodeContribution(global, local, words, noise);
            PrivateFedAvgRound.AddWords(words, sum);
        }

        var next = budget.Spend(round.RoundRho(locals.Count));
        round.ApplyMean(sum, locals.Count, global);
        return next;
    }

    /// <summary>The private round without its noise or rounding: global += mean of the L2-clipped deltas.</summary>
    private static SimulatedServerRound ClippedMeanRound(double clipNorm) => (_, global, locals, _) =>
    {
        var delta = new float[global.Length];
        var sum = new double[global.Length];
        foreach (var local in locals)
        {
            for (var i = 0; i < delta.Length; i++)
            {
                delta[i] = local[i] - global[i];
            }

            L2Clipping.Clip(delta, clipNorm, delta);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += delta[i];
            }
        }

        for (var i = 0; i < global.Length; i++)
        {
            global[i] += (float)(sum[i] / locals.Count);
        }
    };
}
