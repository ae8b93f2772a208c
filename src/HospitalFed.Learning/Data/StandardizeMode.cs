namespace HospitalFed.Learning.Data;

/// <summary>Which encoded features the pipeline standardises to zero mean and unit variance.</summary>
public enum StandardizeMode
{
    /// <summary>Numeric columns only (the default).</summary>
    Numeric,

    /// <summary>Every feature, including binary, one-hot and indicator features (FLamby's Fed-Heart-Disease does this).</summary>
    All,

    /// <summary>No standardisation.</summary>
    None,
}
