namespace HospitalFed.Ledger.Audit;

/// <summary>
/// One round's differential-privacy spend as the log states it, after the auditor recomputed
/// every figure from the plan (see <see cref="AuditSummary.Privacy"/>).
/// </summary>
/// <param name="Round">The round.</param>
/// <param name="Contributors">Sites whose noise shares are in the round's released sum.</param>
/// <param name="Dimension">The update's coordinate count.</param>
/// <param name="Scale">gamma: the round's power-of-two scale.</param>
/// <param name="RoundRho">The round's zCDP cost.</param>
/// <param name="SpentRho">The plan's zCDP spent so far, including this round.</param>
/// <param name="SpentEpsilon">The epsilon spent so far at the plan's delta.</param>
public sealed record PrivacySpendSummary(long Round, int Contributors, int Dimension, double Scale, double RoundRho, double SpentRho, double SpentEpsilon);
