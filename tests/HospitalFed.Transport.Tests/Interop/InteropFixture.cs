using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// What every interop fixture with the python peer needs once: a private directory, the descriptor
/// set the peer builds its message classes from, and a test CA with PEM server and client credentials.
/// </summary>
internal abstract class InteropFixture
{
    private readonly string _caName;

    /// <summary>Names the fixture's test CA.</summary>
    protected InteropFixture(string caName) => _caName = caName;

    /// <summary>The fixture's private directory.</summary>
    protected string WorkDirectory { get; private set; } = null!;

    /// <summary>The descriptor set of the project's protos (and health, reflection) for the peer.</summary>
    protected string Descriptors { get; private set; } = null!;

    /// <summary>The test CA; its server and client credentials are written as PEM in <see cref="WorkDirectory"/>.</summary>
    protected TestPki Pki { get; private set; } = null!;

    /// <summary>Creates the directory, the descriptor set and the credentials.</summary>
    [OneTimeSetUp]
    public void PrepareInterop()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("hfed-interop-").FullName;
        Descriptors = Path.Combine(WorkDirectory, "hospitalfed.protoset");
        ProtoDescriptors.Write(Descriptors);
        Pki = new TestPki(_caName);
        Pki.WritePem(WorkDirectory, Pki.Server, "server");
        Pki.WritePem(WorkDirectory, Pki.Client, "client");
    }

    /// <summary>Disposes the CA and deletes the directory.</summary>
    [OneTimeTearDown]
    public void CleanUpInterop()
    {
        Pki.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
