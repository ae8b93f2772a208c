namespace HospitalFed.Learning.Privacy.Internal;

/// <summary>The dropout rule both distributed mechanisms share.</summary>
internal static class MechanismRules
{
    /// <summary>Refuses a round whose sum holds fewer shares than the noise was sized for.</summary>
    public static void RequireContributors(int contributors, int minimumContributors)
    {
        if (contributors < minimumContributors)
        {
            throw new ArgumentOutOfRangeException(
                nameof(contributors),
                contributors,
                $"A round with {contributors} contributors is below the minimum of {minimumContributors} the noise shares were sized for: its sum carries less noise than the plan promised and must not be released.");
        }
    }
}
