namespace HospitalFed.Crypto.Tests.Privacy;

/// <summary>
/// The discrete Gaussian's pmf computed directly from its definition, independently of the
/// sampler: exp(-x^2 / (2 sigma^2)) normalised over a support wide enough that the tail beyond
/// it is below double precision.
/// </summary>
internal sealed class DiscreteGaussianPmf
{
    public DiscreteGaussianPmf(double variance)
    {
        Support = (int)Math.Ceiling(20 * Math.Sqrt(variance)) + 5;
        var weights = new double[(2 * Support) + 1];
        for (var x = -Support; x <= Support; x++)
        {
            weights[x + Support] = Math.Exp(-(double)x * x / (2 * variance));
        }

        var total = weights.Sum();
        Probabilities = weights.Select(w => w / total).ToArray();
        Variance = Moment(2);
        FourthMoment = Moment(4);
    }

    /// <summary>The pmf covers [-Support, Support].</summary>
    public int Support { get; }

    public double[] Probabilities { get; }

    public double Variance { get; }

    public double FourthMoment { get; }

    public double this[int x] => Math.Abs(x) > Support ? 0 : Probabilities[x + Support];

    private double Moment(int power)
    {
        var sum = 0.0;
        for (var x = -Support; x <= Support; x++)
        {
            sum += Math.Pow(x, power) * this[x];
        }

        return sum;
    }
}
