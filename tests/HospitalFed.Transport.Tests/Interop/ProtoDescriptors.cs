using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// The FileDescriptorSet of the transport's .proto files and of server reflection (v1alpha), taken from the compiled C# messages, so the
/// python peer builds its message classes from exactly the contracts this build uses.
/// </summary>
internal static class ProtoDescriptors
{
    public static void Write(string path)
    {
        var set = new FileDescriptorSet();
        foreach (var file in new[] { HealthReflection.Descriptor, DiagnosticsReflection.Descriptor, BlobTransferReflection.Descriptor, ReflectionReflection.Descriptor })
        {
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }

        File.WriteAllBytes(path, set.ToByteArray());
    }
}
