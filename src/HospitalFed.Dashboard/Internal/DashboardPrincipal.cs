using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Dashboard.Internal;

/// <summary>A consortium party signed in to the dashboard, and how.</summary>
internal sealed record DashboardPrincipal(string Name, ConsortiumRole Role, X509Certificate2 Certificate, string Method)
{
    public string RoleName => ConsortiumRoleExtension.ToName(Role);
}
