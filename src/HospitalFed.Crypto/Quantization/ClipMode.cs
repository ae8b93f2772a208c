namespace HospitalFed.Crypto.Quantization;

/// <summary>How a segment of the update vector is brought within its bound before quantisation.</summary>
public enum ClipMode
{
    /// <summary>No clipping: a value outside [-bound, bound] is refused with an error (use for exact counts).</summary>
    None = 0,

    /// <summary>Each coordinate is clamped to [-bound, bound].</summary>
    PerCoordinate = 1,

    /// <summary>The segment is scaled by min(1, bound / ||x||_2), so its L2 norm is at most the bound (Abadi et al. 2016, section 3.1).</summary>
    L2 = 2,
}
