using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// Turns an HTTP response into a gRPC status, in the order GRPC-WIRE.md "Response and status" fixes
/// (after grpc-dotnet's GrpcCall.ValidateHeaders and gRPC's "doc/http-grpc-status-mapping.md").
/// </summary>
internal static class ClientStatusResolver
{
    /// <summary>The status the response headers already decide, or <see langword="null"/> when the body must be read.</summary>
    public static Status? FromHeaders(HttpResponseMessage response)
    {
        // A grpc-status in the headers is a trailers-only response: final, whatever the HTTP status.
        if (TryRead(response.Headers, out var status))
        {
            return status;
        }

        if (response.Version < HttpVersion.Version20)
        {
            return new Status(StatusCode.Internal, $"Bad gRPC response. Response protocol downgraded to HTTP/{response.Version.ToString(2)}.");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)response.StatusCode switch
            {
                400 or 431 => StatusCode.Internal,
                401 => StatusCode.Unauthenticated,
                403 => StatusCode.PermissionDenied,
                404 => StatusCode.Unimplemented,
                429 or 502 or 503 or 504 => StatusCode.Unavailable,
                _ => StatusCode.Unknown,
            };
            return new Status(code, $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocolConstants.IsGrpcContentType(contentType))
        {
            return new Status(StatusCode.Cancelled, $"Bad gRPC response. Invalid content-type value: {contentType ?? "(none)"}");
        }

        return null;
    }

    /// <summary>The status in the trailers, read once the body ended.</summary>
    public static Status FromTrailers(HttpResponseMessage response) =>
        TryRead(response.TrailingHeaders, out var status) ? status : new Status(StatusCode.Cancelled, ClientConstants.NoStatus);

    private static bool TryRead(HttpHeaders headers, out Status status)
    {
        status = default;
        if (!headers.NonValidated.TryGetValues(GrpcProtocolConstants.StatusHeader, out var values))
        {
            return false;
        }

        var raw = values.ToString();
        var detail = headers.NonValidated.TryGetValues(GrpcProtocolConstants.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.ToString())
            : string.Empty;
        status = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 0 and <= 16
            ? new Status((StatusCode)code, detail)
            : new Status(StatusCode.Unknown, $"Unexpected grpc-status value: {raw}");
        return true;
    }
}
