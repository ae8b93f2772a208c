namespace HospitalFed.Learning.Configuration;

/// <summary>The model families a training plan can ask for.</summary>
public enum ModelKind
{
    /// <summary><see cref="Models.LogisticRegression{T}"/>.</summary>
    LogisticRegression,

    /// <summary><see cref="Models.MultinomialLogisticRegression{T}"/>.</summary>
    MultinomialLogisticRegression,

    /// <summary><see cref="Models.MultilayerPerceptron{T}"/>.</summary>
    Mlp,

    /// <summary><see cref="Models.CoxProportionalHazards{T}"/>.</summary>
    Cox,
}
