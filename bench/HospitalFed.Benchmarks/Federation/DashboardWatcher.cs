using System.Net;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Dashboard;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// What a browser on the live round view does to the aggregator, for the dashboard's overhead:
/// signs in with a login link (as <c>hfed dashboard login</c> makes it), loads <c>/live</c>, then
/// holds the server-sent event stream <c>/live/events</c> open and reads every update until
/// stopped. Connects as soon as the dashboard listens, and again if the stream ends early.
/// </summary>
internal sealed class DashboardWatcher(SigningIdentity party, string origin, X509Certificate2 serverCertificate)
{
    private long _events;
    private long _bytes;

    /// <summary>Live updates received (<c>event: live</c>).</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Bytes of event stream received.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The last failure to connect, if any (the dashboard not up yet is expected at first).</summary>
    public string? Problem { get; private set; }

    /// <summary>Watches until <paramref name="cancellationToken"/> is cancelled; never throws for that.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            // Pinned: the benchmark's own aggregator certificate, and nothing else.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(serverCertificate.RawData),
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(origin), Timeout = Timeout.InfiniteTimeSpan };
        var signedIn = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!signedIn)
                {
                    using var login = await client.GetAsync(DashboardLoginLink.Create(party, origin, DashboardLoginLink.DefaultLifetime), cancellationToken).ConfigureAwait(false);
                    signedIn = login.StatusCode == HttpStatusCode.Redirect;
                    Problem = signedIn ? null : $"login answered {(int)login.StatusCode}";
                    continue;
                }

                _ = await client.GetStringAsync(new Uri("/live", UriKind.Relative), cancellationToken).ConfigureAwait(false); // the page, as a browser loads it first
                using var response = await client.GetAsync(new Uri("/live/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    Interlocked.Add(ref _bytes, line.Length + 1);
                    if (line == "event: live")
                    {
                        Interlocked.Increment(ref _events);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                Problem = ex.Message; // not listening yet: try again shortly
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
