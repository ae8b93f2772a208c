using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Federation;

/// <summary>The methods of <c>hospitalfed.v1.Federation</c>, the aggregator's site-facing service.</summary>
public static class FederationMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "hospitalfed.v1.Federation";

    /// <summary>Server streaming: the aggregator pushes round tasks to a site that connected outbound.</summary>
    public static Method<SubscribeRequest, SiteTask> Subscribe { get; } = new(MethodType.ServerStreaming, ServiceName, "Subscribe", SubscribeRequest.Parser, SiteTask.Parser);

    /// <summary>Unary: one protocol message from a site.</summary>
    public static Method<SiteMessage, SubmitReceipt> Submit { get; } = new(MethodType.Unary, ServiceName, "Submit", SiteMessage.Parser, SubmitReceipt.Parser);

    /// <summary>Client streaming: a site's masked input in chunks.</summary>
    public static Method<SecAggMaskedInputChunk, SubmitReceipt> UploadMaskedInput { get; } = new(MethodType.ClientStreaming, ServiceName, "UploadMaskedInput", SecAggMaskedInputChunk.Parser, SubmitReceipt.Parser);

    /// <summary>Client streaming: a site's CKKS-encrypted or plain input in chunks.</summary>
    public static Method<ProtectedInputChunk, SubmitReceipt> UploadProtectedInput { get; } = new(MethodType.ClientStreaming, ServiceName, "UploadProtectedInput", ProtectedInputChunk.Parser, SubmitReceipt.Parser);
}
