using System.Security.Cryptography;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>Picks the <see cref="ISiteProtection"/> a plan asks for.</summary>
internal static class SiteProtections
{
    public static ISiteProtection Create(TrainingPlan plan, SiteAgentContext context, TimeProvider time, RandomNumberGenerator? random) => plan.Protection switch
    {
        HospitalFed.Ledger.Plans.Protection.Pairwise => new PairwiseSiteProtection(context, time, random),
        HospitalFed.Ledger.Plans.Protection.Ckks => new CkksSiteProtection(plan, context, time),
        HospitalFed.Ledger.Plans.Protection.None => new PlaintextSiteProtection(context, time),
        var other => throw new InvalidOperationException($"Plan {plan.Id} asks for {other} protection, which this site does not run."),
    };
}
