using System.Runtime.InteropServices;

namespace HospitalFed.Site.Hosting.Windows;

/// <summary>The Win32 <c>SERVICE_STATUS</c> structure reported to the Service Control Manager.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ServiceStatus
{
    public uint ServiceType;
    public uint CurrentState;
    public uint ControlsAccepted;
    public uint Win32ExitCode;
    public uint ServiceSpecificExitCode;
    public uint CheckPoint;
    public uint WaitHint;
}
