namespace HospitalFed.Learning.Privacy.Internal;

/// <summary>Argument checks shared by the privacy types; each message names the value and the rule.</summary>
internal static class PrivacyArguments
{
    /// <summary>Requires a finite value strictly greater than zero.</summary>
    public static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
        }
    }

    /// <summary>Requires a finite value greater than or equal to zero.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than or equal to 0.");
        }
    }

    /// <summary>Requires a probability strictly between 0 and 1 (a DP delta).</summary>
    public static void Delta(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be strictly between 0 and 1.");
        }
    }

    /// <summary>Requires an integer of at least <paramref name="minimum"/>.</summary>
    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
        }
    }
}
