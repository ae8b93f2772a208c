namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// The noise an aggregation carries, and the smudging its collective decryption needs, for a
/// given deployment: how many parties hold key shares, how many ciphertexts are summed, how many
/// parties add smudging noise when decrypting, and the statistical security of that smudging.
/// Estimates use the central-limit heuristic of Costache and Smart (CT-RSA 2016, §3): each
/// coefficient of a sum of independent terms is treated as Gaussian with the summed variance.
/// </summary>
/// <param name="KeyHolders">Parties whose secrets sum to the collective key (n); at least 1.</param>
/// <param name="Summands">Ciphertexts added before decryption (sites per aggregate); at least 1.</param>
/// <param name="Decryptors">Parties contributing a decryption share (t in t-of-n, or n); at least 1.</param>
/// <param name="StatisticalSecurityBits">λ: each decrypted coefficient is within statistical distance 2^-λ of one that reveals nothing beyond the plaintext; default 40.</param>
public sealed record CkksNoiseBudget(int KeyHolders, int Summands, int Decryptors, int StatisticalSecurityBits = 40)
{
    /// <summary>The least statistical security accepted for smudging (the bar).</summary>
    public const int MinimumStatisticalSecurityBits = 40;

    /// <summary>Tail factor for a high-probability bound on one Gaussian coefficient (8 sigma: failure below 2^-49).</summary>
    public const double CoefficientTail = 8;

    /// <summary>Tail factor for the largest error over a whole decrypted vector (7 sigma: failure below 2^-38 per value).</summary>
    public const double VectorTail = 7;

    /// <summary>The design point the presets are sized for: 100 sites, all key holders, all decrypting, 40-bit smudging.</summary>
    public static CkksNoiseBudget HundredSites { get; } = new(100, 100, 100);

    /// <summary>Variance of one coefficient of a fresh public-key encryption under a collective key of <see cref="KeyHolders"/> shares.</summary>
    /// <remarks>e0 + u e + e1 s with e = Σ e_i and s = Σ s_i: σ²(1 + 2 · N · (2/3) · n), plus encoding rounding 1/12.</remarks>
    public double FreshVariance(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Validate();
        var sigma2 = CkksParameters.ErrorStandardDeviation * CkksParameters.ErrorStandardDeviation;
        return (sigma2 * (1 + (4.0 / 3.0 * parameters.RingDegree * KeyHolders))) + (1.0 / 12);
    }

    /// <summary>A bound B on every coefficient of the aggregate's noise (<see cref="CoefficientTail"/> standard deviations).</summary>
    public double CiphertextNoiseBound(CkksParameters parameters) =>
        CoefficientTail * System.Math.Sqrt(Summands * FreshVariance(parameters));

    /// <summary>
    /// Each decryptor's smudging noise is uniform on [-B', B'] with B' = 2^(λ-1) · B, so a
    /// coefficient's distribution moves by at most B / (2B' + 1) &lt; 2^-λ in statistical distance
    /// whatever the aggregate noise is (the smudging lemma; Asharov et al., EUROCRYPT 2012, Lemma 2.1).
    /// </summary>
    public long SmudgingBound(CkksParameters parameters)
    {
        Validate();
        var bound = System.Math.Ceiling(System.Math.ScaleB(CiphertextNoiseBound(parameters), StatisticalSecurityBits - 1));
        if (bound >= System.Math.ScaleB(1.0, 62))
        {
            throw new ArgumentException($"smudging for {StatisticalSecurityBits}-bit statistical security needs 2^{System.Math.Log2(bound):F1} > 2^62; lower the number of summands or key holders");
        }

        return (long)bound;
    }

    /// <summary>Predicted largest absolute error over a decrypted vector of the aggregate, after smudged collective decryption.</summary>
    public double PredictedMaxError(CkksParameters parameters)
    {
        var smudging = (double)SmudgingBound(parameters);
        var variance = (Summands * FreshVariance(parameters)) + (Decryptors * smudging * smudging / 3);
        // One slot's real (or imaginary) part sums N coefficients with unit-modulus weights: N/2 times the variance.
        return VectorTail * System.Math.Sqrt(parameters.RingDegree / 2.0 * variance) / parameters.Scale;
    }

    private void Validate()
    {
        if (KeyHolders < 1 || Summands < 1 || Decryptors < 1 || StatisticalSecurityBits is < MinimumStatisticalSecurityBits or > 60)
        {
            throw new ArgumentException($"noise budget needs at least one key holder, summand and decryptor and {MinimumStatisticalSecurityBits}..60 security bits; got {this}");
        }
    }
}
