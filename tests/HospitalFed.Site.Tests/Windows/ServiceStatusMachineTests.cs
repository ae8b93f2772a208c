using HospitalFed.Site.Hosting.Windows;

namespace HospitalFed.Site.Tests.Windows;

/// <summary>What the site and aggregator report to the Windows Service Control Manager, checked on every OS.</summary>
public sealed class ServiceStatusMachineTests
{
    private static ServiceStatusMachine NewMachine() => new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20));

    [Test]
    public void Lifecycle_StartRunStop_ReportsPendingStatesWithHintsThenStopped()
    {
        // Arrange
        var machine = NewMachine();

        // Act
        var starting = machine.Starting();
        var running = machine.Started();
        var (stopping, cancel, code) = machine.Control(ServiceStatusMachine.ControlStop);
        var stopped = machine.Exited(0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(starting.CurrentState, Is.EqualTo(ServiceStatusMachine.StartPending));
            Assert.That((starting.CheckPoint, starting.WaitHint, starting.ControlsAccepted), Is.EqualTo((1u, 30_000u, 0u)), "no controls while starting");
            Assert.That(running.CurrentState, Is.EqualTo(ServiceStatusMachine.Running));
            Assert.That(running.ControlsAccepted, Is.EqualTo(ServiceStatusMachine.AcceptStop | ServiceStatusMachine.AcceptShutdown));
            Assert.That(stopping!.Value.CurrentState, Is.EqualTo(ServiceStatusMachine.StopPending));
            Assert.That(stopping.Value.WaitHint, Is.EqualTo(20_000u));
            Assert.That((cancel, code), Is.EqualTo((true, ServiceStatusMachine.NoError)));
            Assert.That((stopped.CurrentState, stopped.Win32ExitCode, stopped.ServiceSpecificExitCode), Is.EqualTo((ServiceStatusMachine.Stopped, 0u, 0u)));
            Assert.That(running.ServiceType, Is.EqualTo(ServiceStatusMachine.Win32OwnProcess));
        });
    }

    [Test]
    public void Control_SecondStopWhileStopping_RaisesCheckPointWithoutCancellingAgain()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();
        machine.Started();
        machine.Control(ServiceStatusMachine.ControlShutdown);

        // Act
        var (report, cancel, _) = machine.Control(ServiceStatusMachine.ControlStop);

        // Assert
        Assert.That(report!.Value.CheckPoint, Is.EqualTo(2u));
        Assert.That(cancel, Is.False);
        Assert.That(machine.StopRequested, Is.True);
    }

    [Test]
    public void Control_StopWhileStarting_StaysStopPendingWhenTheBodyStarts()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();

        // Act
        var (_, cancel, _) = machine.Control(ServiceStatusMachine.ControlStop);
        var afterStart = machine.Started();

        // Assert
        Assert.That(cancel, Is.True);
        Assert.That(afterStart.CurrentState, Is.EqualTo(ServiceStatusMachine.StopPending), "a stop that arrived first is not undone");
    }

    [Test]
    public void Control_UnknownCode_IsNotImplementedAndReportsNothing()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();
        machine.Started();

        // Act
        var (report, cancel, code) = machine.Control(0x2); // SERVICE_CONTROL_PAUSE: not accepted

        // Assert
        Assert.That((report, cancel, code), Is.EqualTo(((ServiceStatus?)null, false, ServiceStatusMachine.ErrorCallNotImplemented)));
    }

    [Test]
    public void Control_Interrogate_ReportsTheCurrentStatus()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();
        var running = machine.Started();

        // Act
        var (report, cancel, code) = machine.Control(ServiceStatusMachine.ControlInterrogate);

        // Assert
        Assert.That(report, Is.EqualTo((ServiceStatus?)running));
        Assert.That((cancel, code), Is.EqualTo((false, ServiceStatusMachine.NoError)));
    }

    [Test]
    public void Exited_NonZero_ReportsAServiceSpecificError()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();
        machine.Started();

        // Act
        var stopped = machine.Exited(2);

        // Assert
        Assert.That((stopped.Win32ExitCode, stopped.ServiceSpecificExitCode), Is.EqualTo((ServiceStatusMachine.ErrorServiceSpecific, 2u)));
    }

    [Test]
    public void Starting_Twice_Throws()
    {
        // Arrange
        var machine = NewMachine();
        machine.Starting();

        // Act / Assert
        Assert.That(machine.Starting, Throws.InvalidOperationException);
    }
}
