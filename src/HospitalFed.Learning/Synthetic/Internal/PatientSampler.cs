namespace HospitalFed.Learning.Synthetic.Internal;

/// <summary>Draws patients of one site's population from a seeded generator (never for anything secret).</summary>
internal sealed class PatientSampler(SiteProfile site, Random random)
{
    public Patient Next()
    {
        var age = Math.Clamp(site.AgeMean + (site.AgeSpread * Gaussian()), 18, 100);
        var bp = Math.Clamp(125 + site.BloodPressureShift + (0.4 * (age - 60)) + (17 * Gaussian()), 70, 250);
        var creatinine = Math.Clamp(site.CreatinineMedian * Math.Exp(0.3 * Gaussian()) * (1 + (0.005 * (age - 60))), 0.2, 15);
        var crp = Math.Clamp(site.CrpMedian * Math.Exp(Gaussian()), 0.1, 480);
        var troponin = Math.Min(site.TroponinMedian * Math.Exp(0.8 * Gaussian()), 45);
        var hba1c = Math.Clamp(5.4 + (0.02 * (age - 60)) + (0.8 * Gaussian()), 3.5, 15);
        return new Patient(
            Age: Math.Round(age),
            Male: random.NextDouble() < 0.5,
            SystolicBp: Math.Round(bp),
            Creatinine: Math.Round(creatinine, 2),
            Crp: Math.Round(crp, 1),
            Troponin: Math.Round(troponin, 4),
            Hba1c: Math.Round(hba1c, 1),
            PriorAdmissions: Math.Min(Poisson(site.PriorAdmissionsRate), 40),
            AdmissionType: Categorical(site.AdmissionMix),
            Smoking: Categorical(site.SmokingMix),
            CreatinineMissing: random.NextDouble() < site.MissingRate,
            TroponinMissing: random.NextDouble() < 1.5 * site.MissingRate,
            SmokingMissing: random.NextDouble() < site.MissingRate);
    }

    public bool Bernoulli(double p) => random.NextDouble() < p;

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private int Poisson(double rate)
    {
        // Knuth's product of uniforms: fine for the small rates used here.
        var limit = Math.Exp(-rate);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            count++;
        }

        return count;
    }

    private int Categorical(double[] weights)
    {
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
