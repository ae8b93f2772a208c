using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>The checks every gRPC request passes before any handler runs.</summary>
internal static class GrpcRequestValidator
{
    /// <summary>Refuses what is not a gRPC request (GRPC-WIRE.md "Transport", "Request").</summary>
    public static bool CheckProtocol(HttpContext http, ILogger logger)
    {
        if (!HttpProtocol.IsHttp2(http.Request.Protocol))
        {
            Refuse(http, logger, StatusCodes.Status426UpgradeRequired, $"Request protocol '{http.Request.Protocol}' is not supported.");
            http.Response.Headers.Upgrade = http.Request.IsHttps ? "h2" : "h2c";
            return false;
        }

        if (!GrpcProtocolConstants.IsGrpcContentType(http.Request.ContentType))
        {
            Refuse(http, logger, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{http.Request.ContentType}' is not supported.");
            return false;
        }

        return true;
    }

    private static void Refuse(HttpContext http, ILogger logger, int httpStatus, string detail)
    {
        ServerLog.RequestRefused(logger, http.Request.Path, detail);
        http.Response.StatusCode = httpStatus;
        http.Response.Headers[GrpcProtocolConstants.StatusHeader] = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocolConstants.MessageHeader] = PercentEncoding.Encode(detail);
    }
}
