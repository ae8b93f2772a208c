using System.Net;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport.Internal;

/// <summary>Refuses a host configuration that cannot work or would be unsafe, naming each option.</summary>
internal sealed class RpcHostOptionsValidator : IValidateOptions<RpcHostOptions>
{
    public ValidateOptionsResult Validate(string? name, RpcHostOptions options)
    {
        const string Prefix = nameof(RpcHostOptions) + ".";
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{Prefix}{nameof(RpcHostOptions.ListenAddress)} '{options.ListenAddress}' is not an IP address.");
        }

        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{Prefix}{nameof(RpcHostOptions.Port)} must be between 0 and {IPEndPoint.MaxPort} (got {options.Port}).");
        }

        if (options.ServerCertificate is { } certificate)
        {
            if (!certificate.HasPrivateKey)
            {
                failures.Add($"{Prefix}{nameof(RpcHostOptions.ServerCertificate)} '{certificate.Subject}' has no private key.");
            }

            if (options.TrustedClientAuthorities is not { Count: > 0 })
            {
                failures.Add($"{Prefix}{nameof(RpcHostOptions.TrustedClientAuthorities)} is empty: mutual TLS needs the CA bundle that issues client certificates.");
            }
        }

        if (options.KeepAlivePingDelay < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Prefix}{nameof(RpcHostOptions.KeepAlivePingDelay)} must be at least 1 second (got {options.KeepAlivePingDelay}).");
        }

        if (options.KeepAlivePingTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Prefix}{nameof(RpcHostOptions.KeepAlivePingTimeout)} must be at least 1 second (got {options.KeepAlivePingTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
