namespace HospitalFed.Learning.Federation;

/// <summary>
/// FedYogi (Reddi et al. 2021, Algorithm 2; Zaheer et al. 2018):
/// v_t = v_{t-1} - (1 - beta2) delta_t^2 sign(v_{t-1} - delta_t^2), which grows v more gently than Adam.
/// </summary>
public sealed class FedYogi : FedOpt
{
    /// <summary>Creates the strategy; defaults are the paper's.</summary>
    public FedYogi(int parameterCount, float serverLearningRate, float beta1 = 0.9f, float beta2 = 0.99f, float tau = 1e-3f)
        : base(parameterCount, serverLearningRate, beta1, beta2, tau)
    {
    }

    /// <inheritdoc/>
    public override string Name => "FedYogi";

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<float> secondMoment, ReadOnlySpan<float> squaredDelta)
    {
        var rate = 1 - Beta2;
        for (var i = 0; i < secondMoment.Length; i++)
        {
            var d2 = squaredDelta[i];
            secondMoment[i] -= rate * d2 * MathF.Sign(secondMoment[i] - d2);
        }
    }
}
