using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// Custom metadata on the wire: "Binary-Header → {Header-Name "-bin" } {base64 encoded value}";
/// "Implementations MUST accept padded and un-padded values" (PROTOCOL-HTTP2.md "Requests").
/// </summary>
internal static class MetadataCodec
{
    public static Metadata FromHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                Add(metadata, name, value ?? string.Empty);
            }
        }

        return metadata;
    }

    public static Metadata FromHeaders(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            foreach (var value in values)
            {
                Add(metadata, name, value);
            }
        }

        return metadata;
    }

    public static string Encode(MetadataEntry entry) =>
        entry.RawBytes is { } bytes ? Convert.ToBase64String(bytes) : entry.Value;

    private static void Add(Metadata metadata, string name, string value)
    {
        var key = name.ToLowerInvariant();
        if (GrpcProtocolConstants.IsReservedHeader(key))
        {
            return;
        }

        if (!key.EndsWith(Metadata.BinarySuffix, StringComparison.Ordinal))
        {
            metadata.AddTrusted(new MetadataEntry(key, value, null));
            return;
        }

        // A header value may hold several comma-separated base64 values.
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            metadata.AddTrusted(new MetadataEntry(key, null, DecodeBase64(key, part)));
        }
    }

    private static byte[] DecodeBase64(string key, string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Metadata '{key}' is not valid base64."), ex);
        }
    }
}
