using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Aggregator.Jobs;

/// <summary>Picks the job a plan's <c>model</c> asks for.</summary>
public static class FederatedJobs
{
    /// <summary>Creates the job for <paramref name="plan"/> over extracts of <paramref name="schema"/>.</summary>
    /// <exception cref="FormatException">The plan's features differ from the schema's feature columns (the message names them), its model is too large for them, or it asks for differential privacy without pairwise masking.</exception>
    public static IFederatedJob Create(TrainingPlan plan, ExtractSchema schema)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(schema);
        if (plan.FeatureMismatch(schema) is { } mismatch)
        {
            throw new FormatException(mismatch);
        }

        if (plan.Privacy is not null && plan.Protection != Protection.Pairwise)
        {
            throw new FormatException($"plan {plan.Id} asks for differential privacy under {plan.Protection.ToString().ToLowerInvariant()} protection; this release adds the noise shares before pairwise masking only (docs/privacy.md)");
        }

        return new SupervisedJob(schema, plan.Training, plan.Rounds, InitializationSeed(plan.Id), plan.Privacy is not null);
    }

    /// <summary>
    /// The initial weights are public (every site receives them, the log holds their digest), so
    /// they need no secret randomness; seeding from the plan id makes them reproducible by anyone
    /// holding the plan, and different for every plan.
    /// </summary>
    private static int InitializationSeed(string planId) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"hfed/model-init/{planId}")));
}
