using System.CommandLine;
using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>
/// `hfed site run` and `hfed aggregator run` refuse a bad config or a bad file it names in one
/// line that names the file and the key, in the operator's terms (no CLR type or exception names).
/// </summary>
public sealed class ConfigErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SiteRun_KeyTypo_OneLineNamingTheUnknownKeyAndTheKnownOnes()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        Edit(path, config =>
        {
            config["trian"] = config["train"]!.GetValue<string>();
            config.Remove("train");
        });

        // Act
        var (code, error) = await RunAsync(SiteCommands.Create(), "site", path);

        // Assert
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Is.EqualTo($"hfed: {path}: unknown key \"trian\"; the known keys are aggregator, certificate, key, root, crl, consortium, schema, train, test, policy, stateDirectory, keyStore, planId, plan, subscribeTimeoutSeconds, callTimeoutSeconds, taskIdleTimeoutSeconds, telemetry."));
    }

    [TestCase("aggregator", "\"http://127.0.0.1:5001\"", "key \"aggregator\" must be an https:// address")]
    [TestCase("planId", "\"PLAN-7\"", "key \"planId\" must be empty or a plan id (64 lowercase hex digits")]
    [TestCase("callTimeoutSeconds", "172800", "key \"callTimeoutSeconds\" must be at most 86400 seconds (one day), found 172800.")]
    [TestCase("subscribeTimeoutSeconds", "0", "key \"subscribeTimeoutSeconds\"")]
    [TestCase("taskIdleTimeoutSeconds", "\"ten minutes\"", "key \"taskIdleTimeoutSeconds\"")]
    public async Task SiteRun_SettingOutOfRange_RefusedAtStartNamingTheFileAndTheKey(string key, string value, string expected)
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        Edit(path, config => config[key] = JsonNode.Parse(value));

        // Act
        var (code, error) = await RunAsync(SiteCommands.Create(), "site", path);

        // Assert: a usage error (exit 2), one line per bad setting, before anything connects.
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.StartWith($"hfed: {path}: ").And.Contain(expected));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Not.Contain("Exception").And.Not.Contain("   at "));
    }

    [Test]
    public async Task AggregatorRun_KeyTypo_NoInternalTypeName()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("aggregator.json");
        Edit(path, config =>
        {
            config["site"] = config["sites"]!.DeepClone();
            config.Remove("sites");
        });

        // Act
        var (code, error) = await RunAsync(AggregatorCommands.Create(), "aggregator", path);

        // Assert
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.StartWith($"hfed: {path}: unknown key \"site\"; the known keys are listenAddress, port,").And.Contain("sites"));
        Assert.That(error, Does.Not.Contain("HospitalFed.").And.Not.Contain("Exception"));
    }

    [Test]
    public async Task AggregatorRun_PortOfWrongType_NamesKeyExpectedTypeAndValueFound()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("aggregator.json");
        Edit(path, config => config["port"] = "7443x");

        // Act
        var (code, error) = await RunAsync(AggregatorCommands.Create(), "aggregator", path);

        // Assert
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Is.EqualTo($"hfed: {path}: key \"port\" must be a whole number, found the string \"7443x\"."));
    }

    [Test]
    public async Task SiteRun_RequiredKeyMissing_NamesTheKeyAndWhatItHolds()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        Edit(path, config => config.Remove("consortium"));

        // Act
        var (code, error) = await RunAsync(SiteCommands.Create(), "site", path);

        // Assert
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Is.EqualTo($"hfed: {path}: key \"consortium\" is missing; it must be a file path (a non-empty string)."));
    }

    [Test]
    public async Task SiteRun_TrainFileMissing_NamesTheKeyAndTheFile()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        Edit(path, config => config["train"] = "absent/train.csv");

        // Act
        var (code, error) = await RunAsync(SiteCommands.Create(), "site", path);

        // Assert
        Assert.That(code, Is.Not.Zero, error);
        Assert.That(error, Is.EqualTo($"hfed: {path}: key \"train\": {federation.PathOf(Path.Combine("absent", "train.csv"))} does not exist"));
    }

    [Test]
    public async Task AggregatorRun_PlanFileUnparsable_NamesTheKeyTheFileAndTheField()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("aggregator.json");
        var plan = PlanPath(path);
        var document = JsonNode.Parse(File.ReadAllText(plan))!;
        document["rounds"] = "twenty";
        File.WriteAllText(plan, document.ToJsonString());

        // Act
        var (code, error) = await RunAsync(AggregatorCommands.Create(), "aggregator", path);

        // Assert
        Assert.That(code, Is.Not.Zero, error);
        Assert.That(error, Does.StartWith($"hfed: {path}: key \"plan\": {plan} is not a usable plan: ").And.Contain("rounds"));
        Assert.That(error, Does.Not.Contain("InvalidOperationException").And.Not.Contain("'Number'"));
    }

    [Test]
    public async Task AggregatorRun_TamperedPlanFile_NamesThePlanFileAndTheApproval()
    {
        // Arrange: the plan changed after the admins approved it (still a valid plan, another id).
        using var federation = new FederationDirectory();
        var path = federation.PathOf("aggregator.json");
        var plan = PlanPath(path);
        var document = JsonNode.Parse(File.ReadAllText(plan))!;
        document["rounds"] = 4;
        File.WriteAllText(plan, document.ToJsonString());
        var approval = JsonNode.Parse(File.ReadAllText(path))!["approvals"]![0]!.GetValue<string>();

        // Act
        var (code, error) = await RunAsync(AggregatorCommands.Create(), "aggregator", path);

        // Assert
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith($"hfed: {path}: key \"approvals\", entry 0: {federation.PathOf(approval)} approves plan "));
        Assert.That(error, Does.Contain($"but the plan file {plan} (key \"plan\") hashes to ").And.Contain("changed after it was approved"));
    }

    [Test]
    public async Task AggregatorRun_BadApprovalFile_NamesTheFileAndItsEntry()
    {
        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("aggregator.json");
        var approval = federation.PathOf(JsonNode.Parse(File.ReadAllText(path))!["approvals"]![1]!.GetValue<string>());
        File.WriteAllText(approval, "not an approval\n");

        // Act
        var (code, error) = await RunAsync(AggregatorCommands.Create(), "aggregator", path);

        // Assert
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith($"hfed: {path}: key \"approvals\", entry 1: {approval} is not a usable approval: "));
        Assert.That(error, Does.Not.Contain("Exception"));
    }

    [Test]
    public async Task SiteRun_StateDirectoryReadableByOthers_RefusedSayingHowToFixIt()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Pass("Windows has no mode bits; the directory's ACL is the operator's");
            return;
        }

        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        var state = federation.PathOf("shared-state");
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Edit(path, config => config["stateDirectory"] = "shared-state");

        // Act
        var (code, error) = await RunAsync(SiteCommands.Create(), "site", path);

        // Assert
        Assert.That(code, Is.Not.Zero, error);
        Assert.That(error, Is.EqualTo($"hfed: {path}: key \"stateDirectory\": {state} can be read by group or others (mode 0755); it holds this site's plan state and key shares: run 'chmod 700 {state}' as the service account, then start again"));
        Assert.That(File.Exists(Path.Combine(state, "plan-state.json")), Is.False, "nothing written");
    }

    [Test]
    public async Task SiteCheck_StateDirectoryMissingThenOpenToOthers_CreatedOwnerOnlyThenFailsWithTheFix()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Pass("Windows has no mode bits; the directory's ACL is the operator's");
            return;
        }

        // Arrange
        using var federation = new FederationDirectory();
        var path = federation.PathOf("site-01.json");
        var state = federation.PathOf("site-01.state");

        // Act: first check creates it; then someone opens it up and the second check fails the item.
        var first = await CheckAsync(path);
        var created = File.GetUnixFileMode(state);
        File.SetUnixFileMode(state, created | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var second = await CheckAsync(path);

        // Assert
        Assert.That(first, Does.Match($@"PASS\s+state\s+{System.Text.RegularExpressions.Regex.Escape(state)} created, owner only \(0700\)"));
        Assert.That(created, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(second, Does.Match(@"FAIL\s+state\s+.*key ""stateDirectory"": .* can be read by group or others \(mode 0705\);.*run 'chmod 700 "));
    }

    private static async Task<string> CheckAsync(string config)
    {
        var output = new StringWriter();
        await SiteCommands.Create().Parse(["site", "check", "--config", config, "--timeout", "2"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).WaitAsync(Timeout);
        return output.ToString();
    }

    private static string PlanPath(string aggregatorConfig) =>
        Path.GetFullPath(JsonNode.Parse(File.ReadAllText(aggregatorConfig))!["plan"]!.GetValue<string>(), Path.GetDirectoryName(aggregatorConfig)!);

    private static void Edit(string path, Action<JsonObject> change)
    {
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    private static async Task<(int Code, string Error)> RunAsync(Command command, string verb, string config)
    {
        var error = new StringWriter();
        var code = await command.Parse([verb, "run", "--config", config])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);
        return (code, error.ToString().Trim());
    }
}
