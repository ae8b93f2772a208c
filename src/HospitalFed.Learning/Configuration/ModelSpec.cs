namespace HospitalFed.Learning.Configuration;

/// <summary>Which model to build; the input width comes from the feature pipeline.</summary>
public sealed record ModelSpec
{
    /// <summary>Model family; default logistic regression.</summary>
    public ModelKind Kind { get; init; } = ModelKind.LogisticRegression;

    /// <summary>MLP hidden layer widths, in order; default none.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [];

    /// <summary>Classes for multinomial models and multiclass MLPs; default 2 (an MLP with 2 classes uses one logistic output).</summary>
    public int Classes { get; init; } = 2;
}
