using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>Sends hand-made HTTP/2 requests, byte for byte, to check the server against malformed input.</summary>
internal sealed class RawGrpc : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _address;

    public RawGrpc(Uri address) => _address = address;

    public static byte[] Frame(IMessage message, byte flag = 0) => Frame(message.ToByteArray(), flag);

    public static byte[] Frame(byte[] payload, byte flag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Posts <paramref name="pieces"/> as the body, flushing after each so they arrive as separate DATA frames.</summary>
    public async Task<RawResponse> PostAsync(
        string path,
        IEnumerable<byte[]> pieces,
        string? contentType = "application/grpc",
        IEnumerable<(string Name, string Value)>? headers = null,
        Version? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new PiecesContent(pieces.ToList(), contentType),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
        return new RawResponse(
            (int)response.StatusCode,
            Header(response.Headers, "grpc-status"),
            Header(response.Headers, "grpc-message"),
            Header(response.TrailingHeaders, "grpc-status"),
            Header(response.TrailingHeaders, "grpc-message"),
            Header(response.Headers, "grpc-accept-encoding"),
            response.TrailingHeaders.NonValidated.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
    }

    public void Dispose() => _client.Dispose();

    private static string? Header(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private sealed class PiecesContent : HttpContent
    {
        private readonly List<byte[]> _pieces;

        public PiecesContent(List<byte[]> pieces, string? contentType)
        {
            _pieces = pieces;
            if (contentType is not null)
            {
                Headers.TryAddWithoutValidation("content-type", contentType);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var piece in _pieces)
            {
                await stream.WriteAsync(piece, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                if (_pieces.Count > 1)
                {
                    await Task.Delay(5, cancellationToken);
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
