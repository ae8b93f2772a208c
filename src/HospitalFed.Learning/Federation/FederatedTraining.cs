using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// What a training plan says about learning, typed and validated, read the same way by the
/// aggregator and by every site: the model (<c>model</c>), each site's local training per round
/// (<c>hyperparameters</c>) and the server strategy (<c>strategy</c>). Every member is used; an
/// unknown member, or one that does not apply (momentum with Adam, beta2 with FedAvg), is refused.
/// The defaults are documented in docs/admin-guide.md "The plan file".
/// </summary>
public sealed record FederatedTraining
{
    private static readonly string[] Optimizers = ["sgd", "adam"];
    private static readonly string[] Strategies = ["fedavg", "fedprox", "fedadam", "fedyogi", "fedadagrad"];
    private static readonly string[] Seeding = ["derived", "fresh"];
    private static readonly string[] Schedules = ["cosine", "constant"];

    private FederatedTraining(FederatedModel model, TrainingOptions local, StrategySpec strategy, SeedPolicy seeds)
    {
        Model = model;
        Local = local;
        Strategy = strategy;
        Seeds = seeds;
    }

    /// <summary>The model.</summary>
    public FederatedModel Model { get; }

    /// <summary>Each site's local training per round (no seed: see <see cref="SiteOptions"/>); FedProx's mu is already in it.</summary>
    public TrainingOptions Local { get; }

    /// <summary>The server strategy and its hyperparameters.</summary>
    public StrategySpec Strategy { get; }

    /// <summary>Where the sites' shuffling seeds come from.</summary>
    public SeedPolicy Seeds { get; }

    /// <summary>Reads the plan's <c>model</c>, <c>hyperparameters</c> and <c>strategy</c> members.</summary>
    /// <param name="plan">The whole plan document.</param>
    /// <exception cref="FormatException">A member is missing, unknown, of the wrong type or out of range; the message names its JSON path.</exception>
    public static FederatedTraining Parse(JsonObject plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var model = FederatedModel.Parse(plan["model"]);
        var strategy = ParseStrategy(PlanFields.Object(plan, "", "strategy"));
        var h = PlanFields.Object(plan, "", "hyperparameters");
        const string P = "hyperparameters";
        var d = new TrainingOptions(); // an absent member takes the library default
        PlanFields.RejectUnknown(h, P, ["optimizer", "learningRate", "schedule", "finalLearningRateFraction", "momentum", "batchSize", "localEpochs", "localSteps", "validationFraction", "patience", "l2", "seeds"]);
        var optimizer = PlanFields.Choice(h, P, "optimizer", Optimizers, "sgd") == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd;
        if (optimizer == OptimizerKind.Adam && h.ContainsKey("momentum"))
        {
            throw PlanFields.NotApplicable(P, "momentum", "to optimizer \"adam\"");
        }

        var schedule = PlanFields.Choice(h, P, "schedule", Schedules, "cosine") == "cosine" ? LearningRateSchedule.Cosine : LearningRateSchedule.Constant;
        if (schedule == LearningRateSchedule.Constant && h.ContainsKey("finalLearningRateFraction"))
        {
            throw PlanFields.NotApplicable(P, "finalLearningRateFraction", "to schedule \"constant\"");
        }

        var validation = PlanFields.Number(h, P, "validationFraction", "must be a number from 0 to 0.5", 0, false, 0.5000001, d.ValidationFraction);
        if (validation == 0 && h.ContainsKey("patience"))
        {
            throw PlanFields.NotApplicable(P, "patience", "without a validation split (validationFraction 0)");
        }

        if (h.ContainsKey("localEpochs") && h.ContainsKey("localSteps"))
        {
            throw new FormatException("plan fields 'hyperparameters.localEpochs' and 'hyperparameters.localSteps' exclude each other; give one");
        }

        var local = d with
        {
            Optimizer = optimizer,
            LearningRate = PlanFields.Number(h, P, "learningRate", "must be a positive number", 0, true, 1e6, d.LearningRate),
            Schedule = schedule,
            FinalLearningRateFraction = PlanFields.Number(h, P, "finalLearningRateFraction", "must be a number in (0, 1]", 0, true, 1.0000001, d.FinalLearningRateFraction),
            Momentum = PlanFields.Number(h, P, "momentum", "must be a number in [0, 1)", 0, false, 1, 0f),
            BatchSize = (int)PlanFields.Integer(h, P, "batchSize", 1, 65_536, d.BatchSize),
            Epochs = (int)PlanFields.Integer(h, P, "localEpochs", 1, 1_000, d.Epochs),
            ValidationFraction = validation,
            Patience = (int)PlanFields.Integer(h, P, "patience", 1, 1_000, d.Patience),
            LocalSteps = !h.ContainsKey("localSteps") ? null : (int)PlanFields.Integer(h, P, "localSteps", 1, 100_000),
            L2 = PlanFields.Number(h, P, "l2", "must be a non-negative number", 0, false, 1e6, 0f),
            ProximalMu = strategy.Kind == StrategyKind.FedProx ? strategy.ProximalMu : 0f,
        };
        var seeds = PlanFields.Choice(h, P, "seeds", Seeding, "derived") == "fresh" ? SeedPolicy.Fresh : SeedPolicy.Derived;
        return new FederatedTraining(model, local, strategy, seeds);
    }

    /// <summary>
    /// Why a plan's <c>features</c> do not fit <paramref name="schema"/>, naming the differing
    /// columns, or null when they equal the schema's feature columns in order (the plan cannot
    /// select a subset: every site encodes exactly the schema's features).
    /// </summary>
    public static string? FeatureMismatch(IReadOnlyList<string> planFeatures, ExtractSchema schema)
    {
        ArgumentNullException.ThrowIfNull(planFeatures);
        ArgumentNullException.ThrowIfNull(schema);
        var columns = schema.FeatureColumns;
        if (planFeatures.SequenceEqual(columns, StringComparer.Ordinal))
        {
            return null;
        }

        var missing = columns.Except(planFeatures, StringComparer.Ordinal).ToList();
        var extra = planFeatures.Except(columns, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (extra.Count > 0)
        {
            parts.Add($"not in the schema: {string.Join(", ", extra)}");
        }

        if (missing.Count > 0)
        {
            parts.Add($"in the schema but not in the plan: {string.Join(", ", missing)}");
        }

        if (parts.Count == 0)
        {
            parts.Add($"same columns in another order; the schema's order is {string.Join(", ", columns)}");
        }

        return $"the plan's features do not match this schema's feature columns ({string.Join("; ", parts)})";
    }

    /// <summary>Builds the plan's server strategy for a model of <paramref name="parameterCount"/> parameters.</summary>
    public ServerStrategy CreateStrategy(int parameterCount) => Strategy.Create(parameterCount);

    /// <summary>
    /// The options <paramref name="site"/> trains with in <paramref name="round"/> (1-based) of the
    /// <paramref name="rounds"/> rounds of plan <paramref name="planId"/>: the learning rate the
    /// schedule gives that round (round 1 at the full rate, round <paramref name="rounds"/> at the
    /// final fraction), the shuffling seed of the <see cref="Seeds"/> policy (SHA-256 of plan id,
    /// round and site), and a validation seed from plan id and site only, so the held-out rows
    /// stay the same in every round of the plan and differ between plans and sites.
    /// </summary>
    /// <remarks>
    /// An aborted round is resumed under the next number, so round numbers can pass
    /// <paramref name="rounds"/>; such rounds train at the final rate.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="round"/> or <paramref name="rounds"/> is below 1.</exception>
    public TrainingOptions SiteOptions(string planId, long round, long rounds, string site)
    {
        ArgumentNullException.ThrowIfNull(planId);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var progress = rounds == 1 ? 0 : Math.Min(1, (double)(round - 1) / (rounds - 1));
        return Local.AtProgress(progress) with
        {
            Seed = Seeds == SeedPolicy.Fresh ? null : DerivedSeed($"hfed/shuffle-seed/{planId}/{round}/{site}"),
            ValidationSeed = DerivedSeed($"hfed/validation-seed/{planId}/{site}"),
        };
    }

    private static int DerivedSeed(string label) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(label)));

    private static StrategySpec ParseStrategy(JsonObject s)
    {
        const string P = "strategy";
        var kind = PlanFields.Choice(s, P, "kind", Strategies);
        var adaptive = kind is "fedadam" or "fedyogi" or "fedadagrad";
        string[] known = kind switch
        {
            "fedavg" => ["kind", "serverLearningRate"],
            "fedprox" => ["kind", "serverLearningRate", "proximalMu"],
            "fedadagrad" => ["kind", "serverLearningRate", "beta1", "tau"],
            _ => ["kind", "serverLearningRate", "beta1", "beta2", "tau"],
        };
        foreach (var (name, _) in s)
        {
            if (!known.Contains(name) && name is "proximalMu" or "beta1" or "beta2" or "tau")
            {
                throw PlanFields.NotApplicable(P, name, $"to strategy \"{kind}\"");
            }
        }

        PlanFields.RejectUnknown(s, P, known);
        return new StrategySpec
        {
            Kind = kind switch
            {
                "fedprox" => StrategyKind.FedProx,
                "fedadam" => StrategyKind.FedAdam,
                "fedyogi" => StrategyKind.FedYogi,
                "fedadagrad" => StrategyKind.FedAdagrad,
                _ => StrategyKind.FedAvg,
            },
            ServerLearningRate = PlanFields.Number(s, P, "serverLearningRate", "must be a positive number", 0, true, 1e6, adaptive ? 0.05f : 1f),
            ProximalMu = PlanFields.Number(s, P, "proximalMu", "must be a non-negative number", 0, false, 1e6, 0.1f),
            Beta1 = PlanFields.Number(s, P, "beta1", "must be a number in [0, 1)", 0, false, 1, 0.9f),
            Beta2 = PlanFields.Number(s, P, "beta2", "must be a number in [0, 1)", 0, false, 1, 0.99f),
            Tau = PlanFields.Number(s, P, "tau", "must be a positive number", 0, true, 1e6, 1e-3f),
        };
    }
}
