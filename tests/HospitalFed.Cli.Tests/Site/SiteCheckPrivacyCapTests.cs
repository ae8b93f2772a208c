using System.CommandLine;
using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands;
using HospitalFed.Site.Tests;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>`hfed site check` with a policy <c>epsilonCap</c>: the site says which plans it would decline, and why.</summary>
public sealed class SiteCheckPrivacyCapTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SiteCheck_PlanEpsilonAboveTheCap_SiteWouldDeclineNamingBothFigures()
    {
        var (exitCode, text) = await CheckAsync(planEpsilon: 8, cap: 3);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(text, Does.Match(@"FAIL\s+plan\s+this site would decline plan [0-9a-f]{16}: the plan's privacy budget is epsilon 8; this site's epsilonCap is 3"));
    }

    [Test]
    public async Task SiteCheck_PlanEpsilonWithinTheCap_PolicyAcceptsIt()
    {
        var (_, text) = await CheckAsync(planEpsilon: 3, cap: 3);

        Assert.That(text, Does.Match(@"PASS\s+plan\s+plan [0-9a-f]{16}: its 10 features match the schema; the policy accepts it"));
    }

    private static async Task<(int ExitCode, string Text)> CheckAsync(double planEpsilon, double cap)
    {
        using var site = new SiteDirectory();
        site.Write("plan.json", new JsonObject
        {
            ["features"] = new JsonArray("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak"),
            ["hyperparameters"] = new JsonObject { ["batchSize"] = 16, ["learningRate"] = 0.05, ["localSteps"] = 10, ["optimizer"] = "sgd" },
            ["minSites"] = 3,
            ["perRoundApproval"] = false,
            ["model"] = new JsonObject { ["kind"] = "logistic" },
            ["privacy"] = new JsonObject { ["clipNorm"] = 1, ["delta"] = 1e-5, ["epsilon"] = planEpsilon },
            ["protection"] = "pairwise",
            ["rounds"] = 5,
            ["strategy"] = new JsonObject { ["kind"] = "fedavg" },
        }.ToJsonString());
        site.Write("policy.json", $$"""{"epsilonCap":{{cap}}}""");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(site.Config))!.AsObject();
        config["plan"] = "plan.json";
        config["policy"] = "policy.json";
        site.Write("site.json", config.ToJsonString());
        var output = new StringWriter();

        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--config", site.Config, "--timeout", "2"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).WaitAsync(Timeout);

        return (exitCode, output.ToString());
    }
}
