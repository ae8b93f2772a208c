namespace HospitalFed.Transport;

/// <summary>A gRPC service: binds its methods to handlers. Map it with <c>MapRpcServices</c>.</summary>
public interface IRpcService
{
    /// <summary>Registers one handler per method of the service.</summary>
    /// <param name="binder">Collects the handlers.</param>
    void Bind(RpcServiceBinder binder);
}
