namespace HospitalFed.Learning.Data;

/// <summary>Which encoded features the pipeline standardises to zero mean and unit variance.</summary>
public enum StandardizeMode
{
    /// <summary>
    /// Numeric columns only: binary, one-hot and indicator features stay uncentred 0/1 columns, which
    /// leaves the loss ill-conditioned when there are many of them (federated SGD then needs several
    /// times the rounds).
    /// </summary>
    Numeric,

    /// <summary>
    /// Every feature, including binary, one-hot and indicator features (the default; FLamby's
    /// Fed-Heart-Disease does this). The model is affine in the features, so this changes the
    /// coefficients' scale, not what the best model can predict.
    /// </summary>
    All,

    /// <summary>No standardisation.</summary>
    None,
}
