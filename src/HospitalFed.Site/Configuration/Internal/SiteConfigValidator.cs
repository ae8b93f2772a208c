using System.Text.RegularExpressions;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Site.Worker;
using Microsoft.Extensions.Options;

namespace HospitalFed.Site.Configuration.Internal;

/// <summary>
/// Validates a loaded <see cref="SiteConfig"/> when the host starts (<c>ValidateOnStart</c>): what
/// <see cref="SiteConfig.Load"/> cannot see from the JSON alone. Every failure is one line naming the
/// config file and the key.
/// </summary>
internal sealed partial class SiteConfigValidator : IValidateOptions<SiteConfig>
{
    public ValidateOptionsResult Validate(string? name, SiteConfig options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = options.Source ?? "site config";
        var failures = new List<string>();
        if (options.Aggregator.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{source}: key \"aggregator\" must be an https:// address (the site talks to the aggregator only over mutual TLS), found \"{options.Aggregator}\".");
        }

        failures.AddRange(options.InputFiles()
            .Select(f => ConfigFile.Missing(f.File) is { } problem ? ConfigFile.FileError(source, f.Key, f.File, problem) : null)
            .OfType<string>());
        if (options.PlanId.Length > 0 && !PlanIdPattern().IsMatch(options.PlanId))
        {
            failures.Add($"{source}: key \"planId\" must be empty or a plan id (64 lowercase hex digits, the SHA-256 of the plan), found \"{options.PlanId}\".");
        }

        Deadline(failures, source, "subscribeTimeoutSeconds", options.SubscribeTimeoutSeconds);
        Deadline(failures, source, "callTimeoutSeconds", options.CallTimeoutSeconds);
        Deadline(failures, source, "taskIdleTimeoutSeconds", options.TaskIdleTimeoutSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Deadline(List<string> failures, string source, string key, double? seconds)
    {
        // Load already refused zero, negatives and non-numbers; what is left is the upper bound.
        if (seconds is { } s && !(s <= SiteCallDeadlines.Longest.TotalSeconds))
        {
            failures.Add($"{source}: key \"{key}\" must be at most {SiteCallDeadlines.Longest.TotalSeconds:F0} seconds (one day), found {s}.");
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex PlanIdPattern();
}
