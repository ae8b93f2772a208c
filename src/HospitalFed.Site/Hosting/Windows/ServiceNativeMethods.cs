using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace HospitalFed.Site.Hosting.Windows;

/// <summary>The four advapi32 calls a service process needs (winsvc.h), declared directly so no package is required.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class ServiceNativeMethods
{
    /// <summary><c>SERVICE_TABLE_ENTRYW</c>: a service name and its ServiceMain; the table ends with a zeroed entry.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ServiceTableEntry
    {
        public char* ServiceName;
        public delegate* unmanaged[Stdcall]<uint, char**, void> ServiceMain;
    }

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool StartServiceCtrlDispatcherW(ServiceTableEntry* table);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    public static partial nint RegisterServiceCtrlHandlerExW(char* serviceName, delegate* unmanaged[Stdcall]<uint, uint, void*, void*, uint> handler, void* context);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool SetServiceStatus(nint handle, ServiceStatus* status);
}
