using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace HospitalFed.Site.Hosting.Windows;

/// <summary>
/// Runs a long-running body (<c>hfed site run</c>, <c>hfed aggregator run</c>) as a Windows service
/// under the Service Control Manager, with advapi32 called directly: the hosting package for
/// Windows services is not served by the registry this project builds from, and four calls are
/// all a service needs.
/// </summary>
/// <remarks>
/// <c>StartServiceCtrlDispatcherW</c> connects the process to the SCM and calls ServiceMain on a
/// thread of its own; ServiceMain registers the control handler, reports START_PENDING, starts
/// the body, reports RUNNING, waits for it and reports STOPPED with its exit code. Stop and
/// shutdown controls cancel the body's token, exactly as Ctrl+C or SIGTERM do in a console, so the
/// site and the aggregator shut down the same way on every OS. One service per process.
/// </remarks>
public static class WindowsServiceHost
{
    private const int ErrorFailedServiceControllerConnect = 1063;
    private static readonly Lock Gate = new();
    private static Func<CancellationToken, Task<int>>? s_body;
    private static ServiceStatusMachine? s_machine;
    private static CancellationTokenSource? s_stop;
    private static nint s_handle;
    private static int s_exitCode;
    private static ExceptionDispatchInfo? s_failure;

    /// <summary>
    /// Whether this process may have been started by the Service Control Manager (Windows, no
    /// interactive window station). A non-interactive process that was not (an SSH session) is
    /// detected when the dispatcher refuses, and <see cref="RunAsync"/> then runs the body in place.
    /// </summary>
    [SupportedOSPlatformGuard("windows")]
    public static bool MayBeService => OperatingSystem.IsWindows() && !Environment.UserInteractive;

    /// <summary>
    /// Runs <paramref name="body"/> as the process's Windows service when the SCM started this
    /// process, otherwise in place with <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="body">The service's work; its token fires on a stop or shutdown control.</param>
    /// <param name="cancellationToken">The console's token, used when not running as a service.</param>
    /// <returns>The body's exit code (reported to the SCM as a service-specific code when non-zero).</returns>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!MayBeService)
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }

        lock (Gate)
        {
            if (s_body is not null)
            {
                throw new InvalidOperationException("A Windows service is already running in this process.");
            }

            s_body = body;
            s_machine = new ServiceStatusMachine(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
            s_stop = new CancellationTokenSource();
        }

        // The dispatcher blocks its thread until the service stops: give it a thread of its own.
        var dispatched = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => dispatched.SetResult(OperatingSystem.IsWindows() && Dispatch())) { IsBackground = true, Name = "Windows service dispatcher" };
        thread.Start();
        if (!await dispatched.Task.ConfigureAwait(false))
        {
            return await body(cancellationToken).ConfigureAwait(false); // not started by the SCM after all
        }

        s_failure?.Throw();
        return s_exitCode;
    }

    [SupportedOSPlatform("windows")]
    private static unsafe bool Dispatch()
    {
        var name = stackalloc char[1];
        name[0] = '\0'; // an own-process service's name in the table is ignored
        var table = stackalloc ServiceNativeMethods.ServiceTableEntry[2];
        table[0] = new ServiceNativeMethods.ServiceTableEntry { ServiceName = name, ServiceMain = &ServiceMain };
        table[1] = default;
        if (ServiceNativeMethods.StartServiceCtrlDispatcherW(table))
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == ErrorFailedServiceControllerConnect)
        {
            return false;
        }

        s_failure = ExceptionDispatchInfo.Capture(new Win32Exception(error, "The Windows Service Control Manager refused this process's service dispatcher."));
        return true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    [SupportedOSPlatform("windows")]
    private static unsafe void ServiceMain(uint argc, char** argv)
    {
        var name = stackalloc char[1];
        name[0] = '\0';
        var handle = ServiceNativeMethods.RegisterServiceCtrlHandlerExW(name, &HandleControl, null);
        if (handle == 0)
        {
            s_failure = ExceptionDispatchInfo.Capture(new Win32Exception(Marshal.GetLastPInvokeError(), "Could not register the service control handler."));
            return;
        }

        s_handle = handle;
        var exitCode = 1;
        try
        {
            Report(m => m.Starting());
            var work = s_body!(s_stop!.Token);
            Report(m => m.Started());
            exitCode = work.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (s_stop!.IsCancellationRequested)
        {
            exitCode = 0; // stopped on request
        }
        catch (Exception ex)
        {
            // Nothing may escape an unmanaged callback; the exception is rethrown on the caller's thread.
            s_failure = ExceptionDispatchInfo.Capture(ex);
        }

        s_exitCode = exitCode;
        Report(m => m.Exited(exitCode)); // after STOPPED the dispatcher returns
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    [SupportedOSPlatform("windows")]
    private static unsafe uint HandleControl(uint control, uint eventType, void* eventData, void* context)
    {
        (ServiceStatus? Report, bool Cancel, uint ReturnCode) outcome;
        lock (Gate)
        {
            outcome = s_machine!.Control(control);
            if (outcome.Report is { } status)
            {
                ServiceNativeMethods.SetServiceStatus(s_handle, &status);
            }
        }

        if (outcome.Cancel)
        {
            s_stop!.Cancel();
        }

        return outcome.ReturnCode;
    }

    [SupportedOSPlatform("windows")]
    private static unsafe void Report(Func<ServiceStatusMachine, ServiceStatus> transition)
    {
        lock (Gate)
        {
            var status = transition(s_machine!);
            ServiceNativeMethods.SetServiceStatus(s_handle, &status);
        }
    }
}
