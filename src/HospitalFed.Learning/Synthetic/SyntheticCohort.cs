using System.Text;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Synthetic.Internal;

namespace HospitalFed.Learning.Synthetic;

/// <summary>
/// A deterministic, seeded readmission-style cohort of four hospitals with site heterogeneity,
/// written as the same CSV extracts and schema real sites load with <see cref="ExtractLoader"/>:
/// numeric features on different scales (troponin around 0.02, creatinine around 1, age around
/// 60, blood pressure around 130), a one-hot admission-type block, missing values (creatinine
/// with an indicator, troponin and smoking imputed), a shared logistic ground truth with mild
/// nonlinearity, label skew (prevalence 10%, 18%, 28% and 40%) and covariate shift (each site
/// its own age, blood pressure and lab distributions, case mix and missing rates). Sites hold
/// 38%, 28%, 20% and 14% of the rows; each is split into train and test.
/// </summary>
public sealed class SyntheticCohort
{
    /// <summary>The schema file name <see cref="WriteTo"/> uses.</summary>
    public const string SchemaFile = "schema.json";

    private SyntheticCohort(string schemaJson, ExtractSchema schema, IReadOnlyList<SyntheticSite> sites)
    {
        SchemaJson = schemaJson;
        Schema = schema;
        Sites = sites;
    }

    /// <summary>The extract schema as JSON (what <see cref="SchemaFile"/> holds).</summary>
    public string SchemaJson { get; }

    /// <summary>The validated extract schema.</summary>
    public ExtractSchema Schema { get; }

    /// <summary>The four sites, largest first.</summary>
    public IReadOnlyList<SyntheticSite> Sites { get; }

    /// <summary>Generates the cohort; the same <paramref name="options"/> give byte-identical extracts.</summary>
    /// <param name="options">Size, split and seed; default <see cref="SyntheticCohortOptions"/>' defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public static SyntheticCohort Generate(SyntheticCohortOptions? options = null)
    {
        options ??= new SyntheticCohortOptions();
        options.Validate();
        var json = CohortSchema.Json(options.Standardize);
        var schema = ExtractSchema.Parse(json);
        var profiles = SiteProfile.Consortium;
        var sites = new List<SyntheticSite>(profiles.Count);
        for (var s = 0; s < profiles.Count; s++)
        {
            var profile = profiles[s];
            var rows = (int)Math.Round(options.Rows * profile.Share);
            var testRows = Math.Max(1, (int)Math.Round(rows * options.TestFraction));
            // One stream per site, derived from the seed, so a site's rows do not depend on the others'.
            var sampler = new PatientSampler(profile, new Random(unchecked(options.Seed + (7919 * (s + 1)))));
            var patients = new Patient[rows];
            var logits = new double[rows];
            for (var i = 0; i < rows; i++)
            {
                patients[i] = sampler.Next();
                logits[i] = patients[i].Logit();
            }

            var intercept = InterceptFor(logits, profile.Prevalence);
            var labels = logits.Select(z => sampler.Bernoulli(1 / (1 + Math.Exp(-(z + intercept))))).ToArray();
            var trainRows = rows - testRows;
            sites.Add(new SyntheticSite(
                profile.Name,
                schema,
                ExtractWriter.Write(profile.Name, patients, labels, 0, trainRows),
                ExtractWriter.Write(profile.Name, patients, labels, trainRows, testRows),
                trainRows,
                testRows,
                labels.Count(y => y) / (double)rows));
        }

        return new SyntheticCohort(json, schema, sites);
    }

    /// <summary>
    /// Writes <see cref="SchemaFile"/> and, per site, <c>&lt;name&gt;.train.csv</c> and
    /// <c>&lt;name&gt;.test.csv</c> into <paramref name="directory"/> (created if absent; existing files are replaced).
    /// </summary>
    public void WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(Path.Combine(directory, SchemaFile), SchemaJson, utf8);
        foreach (var site in Sites)
        {
            File.WriteAllText(Path.Combine(directory, $"{site.Name}.train.csv"), site.TrainCsv, utf8);
            File.WriteAllText(Path.Combine(directory, $"{site.Name}.test.csv"), site.TestCsv, utf8);
        }
    }

    /// <summary>The intercept b with mean sigmoid(z_i + b) = prevalence, by bisection (the mean is increasing in b).</summary>
    private static double InterceptFor(double[] logits, double prevalence)
    {
        double low = -30, high = 30;
        for (var iteration = 0; iteration < 60; iteration++)
        {
            var mid = (low + high) / 2;
            var mean = logits.Average(z => 1 / (1 + Math.Exp(-(z + mid))));
            (low, high) = mean < prevalence ? (mid, high) : (low, mid);
        }

        return (low + high) / 2;
    }
}
