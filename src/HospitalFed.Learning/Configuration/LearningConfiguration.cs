using HospitalFed.Learning.Data;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Internal;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Configuration;

/// <summary>
/// The learning part of a training plan, independent of the plan's envelope (approvals,
/// protection, deadlines): model, local training, server strategy and rounds. JSON, camelCase,
/// unknown properties rejected; see samples/heart-disease/learning.example.json.
/// </summary>
public sealed record LearningConfiguration
{
    /// <summary>The model.</summary>
    public ModelSpec Model { get; init; } = new();

    /// <summary>Each site's local training per round (its seed, if any, is ignored: sites draw their own).</summary>
    public TrainingOptions Local { get; init; } = new();

    /// <summary>The server strategy.</summary>
    public StrategySpec Strategy { get; init; } = new();

    /// <summary>Number of federated rounds; default 10.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>Parses and validates a configuration.</summary>
    /// <exception cref="SchemaException">The JSON is malformed or a value is out of range.</exception>
    public static LearningConfiguration Parse(string json)
    {
        var configuration = StrictJson.Parse<LearningConfiguration>(json, "Learning configuration");
        configuration.Validate();
        return configuration;
    }

    /// <summary>Throws <see cref="SchemaException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        try
        {
            ArgumentNullException.ThrowIfNull(Model, "model");
            ArgumentNullException.ThrowIfNull(Local, "local");
            ArgumentNullException.ThrowIfNull(Strategy, "strategy");
            Local.Validate();
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Rounds, "rounds");
            ArgumentOutOfRangeException.ThrowIfLessThan(Model.Classes, 2, "model.classes");
            foreach (var width in Model.HiddenLayers)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, "model.hiddenLayers");
            }

            // Building a one-parameter-wide strategy runs the constructors' range checks.
            _ = CreateStrategy(1);
        }
        catch (ArgumentException e)
        {
            throw new SchemaException($"Learning configuration: {e.Message}", e);
        }
    }

    /// <summary>Builds the model for <paramref name="inputs"/> features.</summary>
    public IModel<float> CreateModel(int inputs) => Model.Kind switch
    {
        ModelKind.LogisticRegression => new LogisticRegression<float>(inputs),
        ModelKind.MultinomialLogisticRegression => new MultinomialLogisticRegression<float>(inputs, Model.Classes),
        ModelKind.Mlp => new MultilayerPerceptron<float>(inputs, Model.HiddenLayers, Model.Classes == 2 ? 1 : Model.Classes),
        ModelKind.Cox => new CoxProportionalHazards<float>(inputs),
        _ => throw new SchemaException($"Unknown model kind {Model.Kind}."),
    };

    /// <summary>Builds the server strategy for a model of <paramref name="parameterCount"/> parameters.</summary>
    public ServerStrategy CreateStrategy(int parameterCount) => Strategy.Create(parameterCount);

    /// <summary>
    /// The options a site trains with in <paramref name="round"/> (1 to <see cref="Rounds"/>):
    /// <see cref="Local"/> at the schedule's rate for round/<see cref="Rounds"/> of the way through,
    /// plus the strategy's proximal mu.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="round"/> is not in [1, <see cref="Rounds"/>].</exception>
    public TrainingOptions SiteTrainingOptions(int round, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, Rounds);
        return Local.AtProgress((double)round / Rounds) with
        {
            Seed = seed,
            ProximalMu = Strategy.Kind == StrategyKind.FedProx ? Strategy.ProximalMu : Local.ProximalMu,
        };
    }
}
