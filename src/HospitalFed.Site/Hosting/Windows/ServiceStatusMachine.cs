namespace HospitalFed.Site.Hosting.Windows;

/// <summary>
/// What a Windows service reports to the Service Control Manager, as a pure state machine: the
/// host feeds it start, control and exit events and sends the statuses it returns with
/// <c>SetServiceStatus</c>. Kept apart from the P/Invoke so its rules are tested on every OS.
/// </summary>
/// <remarks>
/// The rules are those of "Service ServiceMain Function" and "Service Control Handler Function"
/// (Win32 docs): a pending state carries a rising check point and a wait hint so the SCM does not
/// declare the service hung; controls are accepted only while running; a non-zero exit is
/// reported as <c>ERROR_SERVICE_SPECIFIC_ERROR</c> with the exit code beside it, which is what
/// <c>sc.exe query</c> and the event log show an operator.
/// </remarks>
internal sealed class ServiceStatusMachine
{
    public const uint Win32OwnProcess = 0x10;
    public const uint Stopped = 1;
    public const uint StartPending = 2;
    public const uint StopPending = 3;
    public const uint Running = 4;
    public const uint AcceptStop = 0x1;
    public const uint AcceptShutdown = 0x4;
    public const uint ControlStop = 1;
    public const uint ControlInterrogate = 4;
    public const uint ControlShutdown = 5;
    public const uint NoError = 0;
    public const uint ErrorCallNotImplemented = 120;
    public const uint ErrorServiceSpecific = 1066;

    private readonly uint _startWaitHintMs;
    private readonly uint _stopWaitHintMs;
    private ServiceStatus _current = new() { ServiceType = Win32OwnProcess, CurrentState = Stopped };

    /// <summary>Creates the machine with the wait hints the SCM is given for pending states.</summary>
    public ServiceStatusMachine(TimeSpan startWaitHint, TimeSpan stopWaitHint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(startWaitHint, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stopWaitHint, TimeSpan.Zero);
        _startWaitHintMs = (uint)startWaitHint.TotalMilliseconds;
        _stopWaitHintMs = (uint)stopWaitHint.TotalMilliseconds;
    }

    /// <summary>The last status returned.</summary>
    public ServiceStatus Current => _current;

    /// <summary>Whether a stop or shutdown has been asked for.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>ServiceMain began: report START_PENDING.</summary>
    /// <exception cref="InvalidOperationException">The service already started.</exception>
    public ServiceStatus Starting()
    {
        if (_current.CurrentState != Stopped || _current.CheckPoint != 0 || StopRequested)
        {
            throw new InvalidOperationException("The service was already started.");
        }

        return _current = Pending(StartPending, 1, _startWaitHintMs);
    }

    /// <summary>The body is running: report RUNNING, accepting stop and shutdown (unless a stop already came).</summary>
    public ServiceStatus Started()
    {
        if (_current.CurrentState != StartPending)
        {
            return _current; // a stop arrived while starting: stay STOP_PENDING
        }

        return _current = new ServiceStatus
        {
            ServiceType = Win32OwnProcess,
            CurrentState = Running,
            ControlsAccepted = AcceptStop | AcceptShutdown,
        };
    }

    /// <summary>A control code arrived from the SCM.</summary>
    /// <returns>The status to report (if any), whether the body must now be cancelled, and the handler's return code.</returns>
    public (ServiceStatus? Report, bool Cancel, uint ReturnCode) Control(uint control)
    {
        switch (control)
        {
            case ControlStop or ControlShutdown when _current.CurrentState is StartPending or Running:
                StopRequested = true;
                _current = Pending(StopPending, 1, _stopWaitHintMs);
                return (_current, true, NoError);
            case ControlStop or ControlShutdown when _current.CurrentState == StopPending:
                // Already stopping: show progress so the SCM keeps waiting.
                _current = Pending(StopPending, _current.CheckPoint + 1, _stopWaitHintMs);
                return (_current, false, NoError);
            case ControlInterrogate:
                return (_current, false, NoError);
            default:
                return (null, false, ErrorCallNotImplemented);
        }
    }

    /// <summary>The body returned <paramref name="exitCode"/>: report STOPPED with it.</summary>
    public ServiceStatus Exited(int exitCode) => _current = new ServiceStatus
    {
        ServiceType = Win32OwnProcess,
        CurrentState = Stopped,
        Win32ExitCode = exitCode == 0 ? NoError : ErrorServiceSpecific,
        ServiceSpecificExitCode = exitCode == 0 ? 0 : unchecked((uint)exitCode),
    };

    private static ServiceStatus Pending(uint state, uint checkPoint, uint waitHint) => new()
    {
        ServiceType = Win32OwnProcess,
        CurrentState = state,
        CheckPoint = checkPoint,
        WaitHint = waitHint,
    };
}
