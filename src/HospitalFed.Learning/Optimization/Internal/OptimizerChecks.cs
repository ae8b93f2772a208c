namespace HospitalFed.Learning.Optimization.Internal;

/// <summary>Argument checks shared by the optimisers.</summary>
internal static class OptimizerChecks
{
    public static void SameLength(int expected, ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != expected || gradient.Length != expected)
        {
            throw new ArgumentException($"Optimiser built for {expected} parameters got {parameters.Length} parameters and {gradient.Length} gradients.", nameof(parameters));
        }
    }

    public static float PositiveRate(float value) =>
        float.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(IOptimizer.LearningRate), value, "The learning rate must be positive and finite.");
}
