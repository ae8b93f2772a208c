namespace HospitalFed.Learning.Data;

/// <summary>How a column of an extract is read.</summary>
public enum ColumnType
{
    /// <summary>A real number (invariant culture, e.g. <c>63.0</c>, <c>-0.5</c>, <c>.7</c>).</summary>
    Numeric,

    /// <summary>0 or 1 (also written <c>0.0</c>/<c>1.0</c>).</summary>
    Binary,

    /// <summary>One of the declared levels; one-hot encoded in declared level order.</summary>
    Categorical,

    /// <summary>Read for the column count only; neither feature nor target.</summary>
    Ignore,
}
