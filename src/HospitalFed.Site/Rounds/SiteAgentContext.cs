using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Plans;
using HospitalFed.Site.Keys;

namespace HospitalFed.Site.Rounds;

/// <summary>Everything a <see cref="SiteAgent"/> needs.</summary>
/// <param name="Identity">The site's signing identity (its certificate name is its protocol name).</param>
/// <param name="Trust">Trust in the consortium root, for peers' keys and signatures.</param>
/// <param name="Approvals">The consortium's approval policy, so the site checks the m-of-n approvals itself.</param>
/// <param name="Policy">The site's own policy (allowed models, minimum sites, protection, rounds).</param>
/// <param name="Contribution">Computes the site's vector on its extract.</param>
/// <param name="KeyStore">Where CKKS key material outlives the process; default in memory only.</param>
public sealed record SiteAgentContext(SigningIdentity Identity, ConsortiumTrust Trust, ApprovalPolicy Approvals, SitePolicy Policy, LocalContribution Contribution, ISiteKeyStore? KeyStore = null);
