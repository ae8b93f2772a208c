namespace HospitalFed.Site.Preflight;

/// <summary>One checked item of <c>hfed site check</c>.</summary>
/// <param name="Name">What was checked (certificate, key permissions, CA, clock, extract, connectivity...).</param>
/// <param name="Verdict">The outcome.</param>
/// <param name="Detail">One line: what was found, and for a failure what to fix.</param>
public sealed record PreflightItem(string Name, Verdict Verdict, string Detail)
{
    /// <summary>Further lines under <see cref="Detail"/>, one per finding (e.g. every bad row of an extract, redacted); default none.</summary>
    public IReadOnlyList<string> Lines { get; init; } = [];
}
