using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Privacy;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// A plan's <c>privacy</c> section: the (epsilon, delta) budget the admins approve for the whole
/// plan, each site's L2 clip norm and the noise that the distributed discrete Gaussian mechanism
/// (Kairouz, Liu and Steinke, ICML 2021) adds to every training round's secure sum.
/// </summary>
/// <remarks>
/// <para>
/// Format (every member signed with the plan; unknown members refused):
/// <c>"privacy": { "epsilon": 3, "delta": 1e-5, "clipNorm": 1, "minContributors": 3, "noiseMultiplier": 1.1 }</c>.
/// epsilon in (0, <see cref="MaxEpsilon"/>], delta in (0, <see cref="MaxDelta"/>], clipNorm in
/// (0, <see cref="MaxClipNorm"/>], minContributors an integer from 1 to the plan's minSites
/// (default minSites), noiseMultiplier optional in (0, <see cref="MaxNoiseMultiplier"/>]: when absent
/// it is calibrated so that the plan's training rounds (rounds - 1; round 1 pools feature
/// statistics) exactly fit the budget at minContributors contributors.
/// </para>
/// <para>
/// Unit of privacy: the whole contribution of one site in one round. Two datasets are neighbours
/// when they differ in the records of one site (any change, including adding, removing or changing
/// one patient record), so the guarantee is record-level and holds a fortiori for one patient.
/// Each site's contribution is its unweighted model delta clipped to L2 norm c, so replacing it
/// moves the sum by at most 2c: the L2 sensitivity is 2c before rounding and 2 Delta in the integer
/// domain, where Delta (<see cref="PrivacyRound.NormBound"/>) bounds every conditionally rounded
/// vector. The noise multiplier z is sigma / (2 Delta) in that domain.
/// </para>
/// <para>
/// Needs secure aggregation (pairwise or CKKS): each site adds only a share N_Z(0, sigma^2 / m) of
/// the noise, so without it the aggregator would see every update with a fraction of the noise.
/// </para>
/// </remarks>
public sealed class PlanPrivacy
{
    /// <summary>The largest epsilon a plan may approve.</summary>
    public const double MaxEpsilon = 100;

    /// <summary>The largest delta a plan may approve.</summary>
    public const double MaxDelta = 1e-3;

    /// <summary>The largest clip norm.</summary>
    public const double MaxClipNorm = 1e6;

    /// <summary>The largest explicit noise multiplier.</summary>
    public const double MaxNoiseMultiplier = 1e4;

    /// <summary>The conditional rounding's failure probability per attempt (e^-0.5, as the paper and TensorFlow Federated use).</summary>
    public static readonly double Beta = Math.Exp(-0.5);

    // A calibrated multiplier is raised by this factor so that the training rounds' summed rho,
    // added one round at a time in floating point, never exceeds the budget by a rounding error.
    private const double CalibrationMargin = 1 + 1e-9;
    private const double TwoTo31 = 2147483648.0;
    private const double OverflowDeviations = 10;
    private const int MaxScaleExponent = 30;
    private const int MinScaleExponent = -40;
    private static readonly string[] Members = ["clipNorm", "delta", "epsilon", "minContributors", "noiseMultiplier"];
    private static readonly byte[] RotationLabel = Encoding.ASCII.GetBytes("HospitalFed DP rotation v1\0");

    private PlanPrivacy(double epsilon, double delta, double clipNorm, int minContributors, double noiseMultiplier, bool calibrated, long trainingRounds)
    {
        Epsilon = epsilon;
        Delta = delta;
        ClipNorm = clipNorm;
        MinContributors = minContributors;
        NoiseMultiplier = noiseMultiplier;
        IsCalibrated = calibrated;
        TrainingRounds = trainingRounds;
        MaximumRho = NoiseCalibration.MaximumRho(epsilon, delta);
    }

    /// <summary>The approved epsilon for the whole plan.</summary>
    public double Epsilon { get; }

    /// <summary>The approved delta for the whole plan.</summary>
    public double Delta { get; }

    /// <summary>c: each site's model delta is clipped to this L2 norm.</summary>
    public double ClipNorm { get; }

    /// <summary>m: each site's noise share is sized so that any m contributors together add the full noise.</summary>
    public int MinContributors { get; }

    /// <summary>z = sigma / L2 sensitivity (integer domain): the plan's, or the calibrated one when <see cref="IsCalibrated"/>.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>Whether <see cref="NoiseMultiplier"/> was calibrated from the budget (the plan gave none).</summary>
    public bool IsCalibrated { get; }

    /// <summary>The rounds that add noise and spend budget: the plan's rounds minus the statistics round.</summary>
    public long TrainingRounds { get; }

    /// <summary>The largest total zCDP rho whose (epsilon, delta) conversion stays within the budget.</summary>
    public double MaximumRho { get; }

    /// <summary>
    /// rho of one round at exactly <see cref="MinContributors"/> contributors, before the paper's
    /// (negligible at these scales) tau term: 1 / (2 z^2).
    /// </summary>
    public double NominalRoundRho => 1 / (2 * NoiseMultiplier * NoiseMultiplier);

    /// <summary>A fresh budget with nothing spent.</summary>
    public PrivacyBudget NewBudget() => new(Epsilon, Delta);

    /// <summary>
    /// The public seed of round <paramref name="round"/>'s rotation: SHA-256 over a fixed label, the
    /// plan id and the round, so every party derives the same one without a message. Privacy does
    /// not depend on it being secret (the rounding bound is checked whatever the rotation).
    /// </summary>
    public static byte[] RotationSeed(string planId, long round)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        var id = Encoding.ASCII.GetBytes(planId);
        var message = new byte[RotationLabel.Length + id.Length + 1 + sizeof(long)];
        RotationLabel.CopyTo(message, 0);
        id.CopyTo(message, RotationLabel.Length);
        BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(RotationLabel.Length + id.Length + 1), round);
        return SHA256.HashData(message);
    }

    /// <summary>
    /// The mechanism of one training round over <paramref name="dimension"/> update coordinates
    /// with <paramref name="participants"/> invited sites: the largest power-of-two scale gamma for
    /// which the summed integers cannot wrap (participants x Delta plus ten standard deviations of
    /// the summed noise stay below 2^31), and the noise sigma = z x 2 Delta at that scale. Sites,
    /// the aggregator and the auditor all derive it from the same inputs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="InvalidOperationException">No scale fits the 32-bit ring (the message says why).</exception>
    public PrivacyRound Round(int dimension, int participants)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 1 << 30);
        ArgumentOutOfRangeException.ThrowIfLessThan(participants, MinContributors);
        var padded = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)dimension);
        for (var exponent = MaxScaleExponent; exponent >= MinScaleExponent; exponent--)
        {
            var scale = Math.ScaleB(1, exponent);
            if ((ClipNorm * scale) + Math.Sqrt(padded) >= 1 << 30)
            {
                continue;
            }

            var normBound = Math.Sqrt(new Crypto.Privacy.ConditionalRandomizedRounding(padded, ClipNorm, scale, Beta).NormBoundSquared);
            var sigma = NoiseMultiplier * 2 * normBound;
            var shareSigma = sigma / Math.Sqrt(MinContributors);
            if ((participants * normBound) + (OverflowDeviations * Math.Sqrt(participants) * shareSigma) >= TwoTo31)
            {
                continue;
            }

            if (shareSigma < 0.5)
            {
                break;
            }

            return new PrivacyRound(dimension, padded, participants, scale, normBound, sigma, MinContributors, ClipNorm);
        }

        throw new InvalidOperationException(
            $"differential privacy: no scale fits {participants} sites' noised sums of {padded} coordinates in 32 bits at noise multiplier {NoiseMultiplier} with {MinContributors} minimum contributors");
    }

    /// <summary>Reads the plan's <c>privacy</c> member, or null when there is none.</summary>
    /// <exception cref="FormatException">A member is missing, unknown or out of range, or the plan cannot carry it (the message names the field).</exception>
    internal static PlanPrivacy? Parse(JsonObject plan, long rounds, int minSites, Protection protection)
    {
        if (!plan.ContainsKey("privacy"))
        {
            return null;
        }

        const string path = "privacy";
        var section = PlanFields.Object(plan, "", path);
        PlanFields.RejectUnknown(section, path, Members);
        if (protection == Protection.None)
        {
            throw new FormatException("plan field 'privacy' needs secure aggregation ('protection': 'pairwise' or 'ckks'): without it the aggregator would see each site's update with only its share of the noise");
        }

        var epsilon = PlanFields.Real(section, path, "epsilon", $"must be a number in (0, {MaxEpsilon}]", 0, MaxEpsilon);
        var delta = PlanFields.Real(section, path, "delta", $"must be a number in (0, {MaxDelta}]", 0, MaxDelta);
        var clipNorm = PlanFields.Real(section, path, "clipNorm", $"must be a number in (0, {MaxClipNorm}]", 0, MaxClipNorm);
        var minContributors = (int)PlanFields.Integer(section, path, "minContributors", 1, minSites, minSites);
        var training = rounds - 1;
        var maximumRho = NoiseCalibration.MaximumRho(epsilon, delta);
        if (section.ContainsKey("noiseMultiplier"))
        {
            var z = PlanFields.Real(section, path, "noiseMultiplier", $"must be a number in (0, {MaxNoiseMultiplier}]", 0, MaxNoiseMultiplier);
            var spent = training / (2 * z * z);
            if (spent > maximumRho)
            {
                var fit = (long)Math.Floor(maximumRho * 2 * z * z);
                throw new FormatException(
                    $"plan field 'privacy.noiseMultiplier' {z} spends epsilon {ZcdpConversion.Epsilon(spent, delta):G4} over the plan's {training} training rounds, more than privacy.epsilon {epsilon}; "
                    + $"raise it, or plan at most {fit + 1} rounds, or leave it out to have it calibrated");
            }

            return new PlanPrivacy(epsilon, delta, clipNorm, minContributors, z, calibrated: false, training);
        }

        var calibrated = NoiseCalibration.GaussianNoiseMultiplier(epsilon, delta, checked((int)training)) * CalibrationMargin;
        if (calibrated > MaxNoiseMultiplier)
        {
            throw new FormatException($"plan field 'privacy': epsilon {epsilon} over {training} training rounds needs noise multiplier {calibrated:G4}, above {MaxNoiseMultiplier}; raise epsilon or plan fewer rounds");
        }

        return new PlanPrivacy(epsilon, delta, clipNorm, minContributors, calibrated, calibrated: true, training);
    }
}
