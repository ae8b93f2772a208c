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

    /// <summary>The absolute precision the presets promise at <see cref="HundredSites"/>: 2^-20.</summary>
    public const double PrecisionTarget = 1.0 / (1 << 20);

    /// <summary>
    /// Share of <see cref="PrecisionTarget"/>'s variance the compression rounding alone may take:
    /// 1/16, i.e. the rounding error by itself stays within a quarter of the target.
    /// </summary>
    public const double CompressionVarianceShare = 1.0 / 16;

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

    /// <summary>
    /// Predicted largest absolute error over a decrypted vector of the aggregate, after smudged
    /// collective decryption: fresh noise of every summand, every decryptor's smudging, and the
    /// compression rounding (<see cref="RoundingVariance(CkksParameters)"/>).
    /// </summary>
    public double PredictedMaxError(CkksParameters parameters)
    {
        var smudging = (double)SmudgingBound(parameters);
        var variance = (Summands * FreshVariance(parameters)) + (Decryptors * smudging * smudging / 3) + RoundingVariance(parameters);
        return ErrorOf(parameters, variance);
    }

    /// <summary>
    /// Variance per coefficient that compression adds to the decrypted aggregate: each of the
    /// <see cref="Summands"/> uploads rounds its c0 to w bits, and each of the
    /// <see cref="Decryptors"/> shares to w' bits, an error uniform on ±Q / 2^(w+1), variance
    /// (Q / 2^w)² / 12 (Kyber's Compress_q bound; the ciphertext is pseudorandom, so the rounding
    /// is spread evenly). Zero without compression.
    /// </summary>
    public double RoundingVariance(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Validate();
        return (Summands * RoundingVariance(parameters, parameters.CompressionBits)) +
            (Decryptors * RoundingVariance(parameters, parameters.ShareCompressionBits));
    }

    /// <summary>
    /// Refuses compression whose rounding alone would take more than <see cref="CompressionVarianceShare"/>
    /// of the <see cref="PrecisionTarget"/> variance for this deployment (rule 'compression precision').
    /// Does nothing for uncompressed parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The rounding is too coarse; the message names the rule and the bits needed.</exception>
    public void EnsureCompressionFits(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.IsCompressed)
        {
            return;
        }

        var error = ErrorOf(parameters, RoundingVariance(parameters));
        var allowed = PrecisionTarget * System.Math.Sqrt(CompressionVarianceShare);
        if (error > allowed)
        {
            throw new ArgumentException(
                $"rule 'compression precision': rounding c0 to {parameters.CompressionBits} bits over {Summands} summands and shares to {parameters.ShareCompressionBits} bits over {Decryptors} decryptors adds an error of 2^{System.Math.Log2(error):F2}, above 2^{System.Math.Log2(allowed):F0} (a {1 / CompressionVarianceShare:F0}th of the 2^-20 variance budget); use more bits",
                nameof(parameters));
        }
    }

    private static double RoundingVariance(CkksParameters parameters, int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        var step = System.Math.Pow(2, parameters.CiphertextModulusBits - bits);
        return step * step / 12;
    }

    // One slot's real (or imaginary) part sums N coefficients with unit-modulus weights: N/2 times the variance.
    private static double ErrorOf(CkksParameters parameters, double variance) =>
        VectorTail * System.Math.Sqrt(parameters.RingDegree / 2.0 * variance) / parameters.Scale;

    private void Validate()
    {
        if (KeyHolders < 1 || Summands < 1 || Decryptors < 1 || StatisticalSecurityBits is < MinimumStatisticalSecurityBits or > 60)
        {
            throw new ArgumentException($"noise budget needs at least one key holder, summand and decryptor and {MinimumStatisticalSecurityBits}..60 security bits; got {this}");
        }
    }
}
