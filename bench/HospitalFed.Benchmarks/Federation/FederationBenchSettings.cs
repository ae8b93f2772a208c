namespace HospitalFed.Benchmarks.Federation;

/// <summary>The end-to-end benchmark's shape, identical for every protection measured.</summary>
/// <param name="Sites">Sites, each a full site runtime with its own channel.</param>
/// <param name="Parameters">Target model size; the MLP is sized to the nearest count at or below it.</param>
/// <param name="Rounds">Plan rounds: 1 statistics round, then training rounds.</param>
/// <param name="Features">Encoded features per row (the MLP's input width).</param>
/// <param name="TrainRows">Training rows per site.</param>
/// <param name="TestRows">Test rows per site (each site evaluates the incoming model on them every round).</param>
/// <param name="Protections">The plan protections to measure, in order.</param>
/// <param name="Repeat">How many times to cycle through <paramref name="Protections"/> (rounds pooled per protection).</param>
/// <param name="MinSites">The plan's minimum sites; it sets the pairwise and CKKS threshold t = max(minSites, floor(2n/3) + 1).</param>
internal sealed record FederationBenchSettings(int Sites, int Parameters, int Rounds, int Features, int TrainRows, int TestRows, IReadOnlyList<string> Protections, int Repeat, int MinSites)
{
    /// <summary>The default minimum: the threshold rule's own t for <paramref name="sites"/> sites, so the plan tolerates n - t dropouts.</summary>
    public static int DefaultMinSites(int sites) => (2 * sites / 3) + 1;

    /// <summary>The longest a single plan may run before the benchmark gives up on it.</summary>
    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    /// <summary>
    /// Two hidden layers of widths 2w and w: F*2w + 2w + 2w*w + w + w + 1 = 2w^2 + (2F + 4)w + 1
    /// parameters, with w the largest width that stays within <see cref="Parameters"/>.
    /// </summary>
    public IReadOnlyList<int> HiddenLayers
    {
        get
        {
            var b = (2.0 * Features) + 4;
            var w = (int)Math.Floor((-b + Math.Sqrt((b * b) + (8.0 * (Parameters - 1)))) / 4);
            return [2 * Math.Max(1, w), Math.Max(1, w)];
        }
    }

    /// <summary>The model's exact parameter count.</summary>
    public long ModelParameters
    {
        get
        {
            var h = HiddenLayers;
            return ((long)Features * h[0]) + h[0] + ((long)h[0] * h[1]) + h[1] + h[1] + 1;
        }
    }
}
