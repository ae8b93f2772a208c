using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Answers a gRPC request for a method no service mapped: HTTP 200, trailers-only, UNIMPLEMENTED (12).</summary>
internal sealed class UnimplementedCallHandler
{
    private readonly HashSet<string> _knownServices;
    private readonly ILogger _logger;

    public UnimplementedCallHandler(IEnumerable<string> knownServices, ILogger logger)
    {
        _knownServices = new HashSet<string>(knownServices, StringComparer.Ordinal);
        _logger = logger;
    }

    public Task HandleCallAsync(HttpContext http)
    {
        if (!GrpcRequestValidator.CheckProtocol(http, _logger))
        {
            return Task.CompletedTask;
        }

        var service = http.Request.RouteValues["unimplementedService"] as string ?? string.Empty;
        var detail = _knownServices.Contains(service) ? ServerConstants.UnimplementedMethod : ServerConstants.UnimplementedService;
        ServerLog.RequestRefused(_logger, http.Request.Path, detail);
        http.Response.ContentType = GrpcProtocolConstants.ContentType;
        http.Response.Headers[GrpcProtocolConstants.StatusHeader] = ((int)StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocolConstants.MessageHeader] = detail;
        return Task.CompletedTask;
    }
}
