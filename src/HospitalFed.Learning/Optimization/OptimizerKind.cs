namespace HospitalFed.Learning.Optimization;

/// <summary>The local optimiser a site runs.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with heavy-ball momentum (<see cref="SgdMomentum"/>).</summary>
    Sgd,

    /// <summary>Adam (<see cref="Optimization.Adam"/>).</summary>
    Adam,
}
