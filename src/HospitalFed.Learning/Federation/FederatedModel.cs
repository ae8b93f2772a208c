using System.Text.Json;
using System.Text.Json.Nodes;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Models;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// The model a training plan's <c>model</c> member asks the federation to train, read the same way
/// by the aggregator and by every site so both build the same parameter layout:
/// <c>{"kind": "logistic"}</c> (binary logistic regression) or
/// <c>{"kind": "mlp", "hiddenLayers": [w1, w2, ...]}</c> (ReLU hidden layers, one logistic output).
/// The input width is not in the plan: it is the consortium extract schema's encoded feature count.
/// </summary>
public sealed record FederatedModel
{
    /// <summary>The widest hidden layer accepted (65,536).</summary>
    public const int MaxHiddenWidth = 1 << 16;

    /// <summary>The most hidden layers accepted (16).</summary>
    public const int MaxHiddenLayers = 16;

    /// <summary>
    /// The largest model accepted, 2^25 (about 33.5 million) parameters: the global model travels
    /// to every site in one message each round, so this bounds that message (128 MiB; the
    /// transport's FederationLimits.MaxModelParameters is the same number).
    /// </summary>
    public const long MaxParameters = 1L << 25;

    private FederatedModel(ModelKind kind, int[] hiddenLayers)
    {
        Kind = kind;
        HiddenLayers = hiddenLayers;
    }

    /// <summary>Logistic regression or a multilayer perceptron.</summary>
    public ModelKind Kind { get; }

    /// <summary>Hidden layer widths, in order (empty for logistic regression).</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>Binary logistic regression (<c>{"kind": "logistic"}</c>).</summary>
    public static FederatedModel LogisticRegression { get; } = new(ModelKind.LogisticRegression, []);

    /// <summary>The plan's <c>model.kind</c> values this reads.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["logistic", "mlp"];

    /// <summary>Reads a plan's <c>model</c> member.</summary>
    /// <param name="model">The plan document's <c>model</c> value.</param>
    /// <exception cref="FormatException">The member is not an object, has an unknown member, its kind is not one of <see cref="Kinds"/>, or an MLP's hiddenLayers is missing or invalid; the message names the field.</exception>
    public static FederatedModel Parse(JsonNode? model)
    {
        if (model is not JsonObject spec)
        {
            throw new FormatException($"plan field 'model' must be an object, got {PlanFields.Shown(model)}");
        }

        switch (PlanFields.Choice(spec, "model", "kind", Kinds))
        {
            case "logistic":
                // The layout comes from the schema's encoded features: a logistic model has nothing else to say.
                PlanFields.RejectUnknown(spec, "model", ["kind"]);
                return LogisticRegression;
            default:
                PlanFields.RejectUnknown(spec, "model", ["kind", "hiddenLayers"]);
                return new FederatedModel(ModelKind.Mlp, HiddenWidths(spec["hiddenLayers"]));
        }
    }

    /// <summary>Builds the model for <paramref name="inputs"/> encoded features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is not positive.</exception>
    /// <exception cref="FormatException">The model would have more than <see cref="MaxParameters"/> parameters.</exception>
    public IModel<float> Create(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        var parameters = ParameterCount(inputs);
        if (parameters > MaxParameters)
        {
            throw new FormatException($"plan field 'model.hiddenLayers' gives {parameters:N0} parameters for {inputs} features; at most {MaxParameters:N0} are supported");
        }

        return Kind == ModelKind.Mlp
            ? new MultilayerPerceptron<float>(inputs, HiddenLayers, 1)
            : new LogisticRegression<float>(inputs);
    }

    /// <summary>The parameter count for <paramref name="inputs"/> features (weights and biases of every layer).</summary>
    public long ParameterCount(int inputs)
    {
        long count = 0;
        long fanIn = inputs;
        foreach (var width in HiddenLayers.Append(1))
        {
            count += (fanIn * width) + width;
            fanIn = width;
        }

        return count;
    }

    private static int[] HiddenWidths(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count == 0 || array.Count > MaxHiddenLayers)
        {
            throw new FormatException($"plan field 'model.hiddenLayers' must be an array of 1 to {MaxHiddenLayers} layer widths, got {PlanFields.Shown(node)}");
        }

        var widths = new int[array.Count];
        for (var i = 0; i < widths.Length; i++)
        {
            if (array[i] is not JsonValue v || !TryInteger(v, out var width) || width < 1 || width > MaxHiddenWidth)
            {
                throw new FormatException($"plan field 'model.hiddenLayers[{i}]' must be an integer from 1 to {MaxHiddenWidth}, got {PlanFields.Shown(array[i])}");
            }

            widths[i] = (int)width;
        }

        return widths;
    }

    private static bool TryInteger(JsonValue value, out long integer)
    {
        integer = 0;
        return value.GetValueKind() == JsonValueKind.Number
            && (value.TryGetValue(out integer) || (value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out integer)));
    }
}
