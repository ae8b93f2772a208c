namespace HospitalFed.Cli.Tests.Ledger;

/// <summary>The admin workflow end to end through <c>hfed</c>: CA, enrollment, config, plan, approvals, revocation, rotation.</summary>
[NonParallelizable]
public sealed class PkiAndPlanCommandTests
{
    private const string PlanJson = """
        {"model":{"kind":"logistic"},
         "features":["age","sex","cp","trestbps","chol","fbs","restecg","thalach","exang","oldpeak"],
         "hyperparameters":{"optimizer":"sgd","learningRate":0.05,"batchSize":16,"localSteps":10,"l2":0.001},
         "strategy":{"kind":"fedavg"},"rounds":3,"protection":"pairwise","minSites":3,"perRoundApproval":false}
        """;

    private static TempDir _dir = null!;
    private static string _pass = string.Empty;

    [OneTimeSetUp]
    public static async Task CreateConsortium()
    {
        _dir = new TempDir();
        _pass = _dir["pass.txt"];
        await File.WriteAllTextAsync(_pass, "a long test passphrase\n");
        Assert.That((await Hfed.RunAsync("pki", "init", "--dir", _dir["ca"], "--name", "Test Root", "--passphrase-file", _pass)).Exit, Is.Zero);
        foreach (var admin in new[] { "admin-1", "admin-2", "admin-3" })
        {
            Assert.That((await Hfed.RunAsync("pki", "request", "--name", admin, "--dir", _dir[admin])).Exit, Is.Zero);
            Assert.That((await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir[$"{admin}/{admin}.csr.pem"], "--role", "admin", "--out", _dir[$"{admin}/cert.pem"], "--passphrase-file", _pass)).Exit, Is.Zero);
        }

        var config = await Hfed.RunAsync("pki", "config", "--ca", _dir["ca"], "--name", "Test", "--admin", "admin-1", "--admin", "admin-2", "--admin", "admin-3", "--threshold", "2", "--aggregator", "aggregator", "--out", _dir["consortium.json"], "--passphrase-file", _pass);
        Assert.That(config.Exit, Is.Zero, config.Err);
        await File.WriteAllTextAsync(_dir["plan.json"], PlanJson);
    }

    [OneTimeTearDown]
    public static void Cleanup() => _dir.Dispose();

    [Test]
    public async Task PkiInit_CaKey_IsEncryptedAndPrivate()
    {
        var key = await File.ReadAllTextAsync(_dir["ca/root.key.pem"]);

        Assert.That(key, Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(_dir["ca/root.key.pem"]), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task PkiAndSiteInit_DefaultFileNames_FollowTheNamingScheme()
    {
        // Act: no --out: the certificate lands beside the request, named after the party.
        var init = await Hfed.RunAsync("site", "init", "--name", "st-marys", "--dir", _dir["names"]);
        var request = await Hfed.RunAsync("pki", "request", "--name", "aggregator", "--dir", _dir["names"]);
        var sign = await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["names/st-marys.csr.pem"], "--role", "site", "--passphrase-file", _pass);
        var signAggregator = await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["names/aggregator.csr.pem"], "--role", "aggregator", "--passphrase-file", _pass);

        // Assert: the names of certs/README.md, config/ and the guides.
        Assert.That(new[] { init.Exit, request.Exit, sign.Exit, signAggregator.Exit }, Is.All.Zero, init.Err + request.Err + sign.Err + signAggregator.Err);
        Assert.That(Directory.GetFiles(_dir["ca"]).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "consortium.crl.pem", "root.cert.pem", "root.key.pem" }));
        Assert.That(
            Directory.GetFiles(_dir["names"]).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "aggregator.cert.pem", "aggregator.csr.pem", "aggregator.key.pem", "st-marys.cert.pem", "st-marys.csr.pem", "st-marys.key.pem" }));
        Assert.That(sign.Out, Does.Contain(_dir["names/st-marys.cert.pem"]));
    }

    [Test]
    public async Task SiteInit_NameThatIsNoFileName_RefusedInOneLine()
    {
        // Act
        var init = await Hfed.RunAsync("site", "init", "--name", "../evil", "--dir", _dir["evil"]);

        // Assert
        Assert.That(init.Exit, Is.EqualTo(2));
        Assert.That(init.Err.Trim(), Does.StartWith("hfed: --name '../evil' cannot name a file").And.Not.Contain("\n"));
        Assert.That(File.Exists(_dir["evil.key.pem"]), Is.False);
    }

    [Test]
    public async Task SiteInit_Key_IsMode0600AndSignedCertificateCarriesRole()
    {
        var init = await Hfed.RunAsync("site", "init", "--name", "site-a", "--dir", _dir["site-a"]);
        var sign = await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["site-a/site-a.csr.pem"], "--role", "site", "--out", _dir["site-a/cert.pem"], "--passphrase-file", _pass);

        Assert.That(init.Exit, Is.Zero, init.Err);
        Assert.That(sign.Exit, Is.Zero, sign.Err);
        Assert.That(sign.Out, Does.Contain("issued site certificate for 'site-a'"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(_dir["site-a/site-a.key.pem"]), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task PlanStatus_TwoOfTwoRequired_ApprovedOnlyWithTwoDistinctAdmins()
    {
        var propose = await Hfed.RunAsync("plan", "propose", _dir["plan.json"], "--out", _dir["plan.canonical.json"]);
        var planId = propose.Out.Trim();
        await Approve("admin-1", "a1.json");
        await Approve("admin-2", "a2.json");

        var one = await Status(_dir["a1.json"]);
        var sameTwice = await Status(_dir["a1.json"], _dir["a1.json"]);
        var two = await Status(_dir["a1.json"], _dir["a2.json"]);

        Assert.That(planId, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(one.Exit, Is.EqualTo(1));
        Assert.That(one.Out, Does.Contain("not approved: 1 of 2 required"));
        Assert.That(sameTwice.Exit, Is.EqualTo(1));
        Assert.That(two.Exit, Is.Zero, two.Out + two.Err);
        Assert.That(two.Out, Does.Contain($"approved: 2 of 2 required (admin-1, admin-2) for plan {planId}"));
    }

    [Test]
    public async Task PkiRevoke_Admin_ApprovalStopsCounting()
    {
        await Approve("admin-3", "a3.json");
        await Approve("admin-1", "a1-again.json");
        Assert.That((await Status(_dir["a3.json"], _dir["a1-again.json"])).Exit, Is.Zero);

        var revoke = await Hfed.RunAsync("pki", "revoke", "--ca", _dir["ca"], "--cert", _dir["admin-3/cert.pem"], "--passphrase-file", _pass);
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        var after = await Status(_dir["a3.json"], _dir["a1-again.json"]);

        Assert.That(revoke.Exit, Is.Zero, revoke.Err);
        Assert.That(after.Exit, Is.EqualTo(1));
        Assert.That(after.Out, Does.Contain("revoked"));
    }

    [Test]
    public async Task PkiRotate_NewKeySameName_IssuesAndSupersedes()
    {
        await Hfed.RunAsync("site", "init", "--name", "site-r", "--dir", _dir["site-r"]);
        await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["site-r/site-r.csr.pem"], "--role", "site", "--out", _dir["site-r/cert.pem"], "--passphrase-file", _pass);
        await Hfed.RunAsync("site", "init", "--name", "site-r", "--dir", _dir["site-r/new"]);

        var rotate = await Hfed.RunAsync("pki", "rotate", "--ca", _dir["ca"], "--cert", _dir["site-r/cert.pem"], "--csr", _dir["site-r/new/site-r.csr.pem"], "--out", _dir["site-r/new/cert.pem"], "--passphrase-file", _pass);

        Assert.That(rotate.Exit, Is.Zero, rotate.Err);
        Assert.That(rotate.Out, Does.Contain("revoked as superseded"));
    }

    [Test]
    public async Task PkiSign_WrongPassphrase_OneLineFailure()
    {
        var wrong = _dir["wrong.txt"];
        await File.WriteAllTextAsync(wrong, "not the passphrase at all");

        var result = await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["admin-1/admin-1.csr.pem"], "--role", "admin", "--out", _dir["x.pem"], "--passphrase-file", wrong);

        Hfed.AssertOneLineFailure(result, "wrong passphrase");
    }

    [Test]
    public async Task PlanApprove_SiteCertificate_OneLineFailure()
    {
        await Hfed.RunAsync("site", "init", "--name", "site-z", "--dir", _dir["site-z"]);
        await Hfed.RunAsync("pki", "sign", "--ca", _dir["ca"], "--csr", _dir["site-z/site-z.csr.pem"], "--role", "site", "--out", _dir["site-z/cert.pem"], "--passphrase-file", _pass);

        var result = await Hfed.RunAsync("plan", "approve", _dir["plan.json"], "--cert", _dir["site-z/cert.pem"], "--key", _dir["site-z/site-z.key.pem"], "--out", _dir["site-z/approval.json"]);

        Hfed.AssertOneLineFailure(result, "does not hold an admin certificate");
    }

    [TestCase("sign --role emperor", "is not one of site, aggregator, admin, auditor")]
    [TestCase("sign --role site --csr missing.csr", "cannot read signing request")]
    [TestCase("init --name X --dir EXISTING", "already exists")]
    public async Task Pki_BadInput_OneLineFailure(string args, string expected)
    {
        var argv = args.Split(' ').Select(a => a switch { "EXISTING" => _dir["ca"], "missing.csr" => _dir["missing.csr"], _ => a }).ToList();
        argv.Insert(0, "pki");
        if (argv[1] == "sign")
        {
            argv.AddRange(["--ca", _dir["ca"], "--out", _dir["never.pem"], "--passphrase-file", _pass]);
            if (!argv.Contains("--csr"))
            {
                argv.AddRange(["--csr", _dir["admin-1/admin-1.csr.pem"]]);
            }
        }
        else
        {
            argv.AddRange(["--passphrase-file", _pass]);
        }

        var result = await Hfed.RunAsync([.. argv]);

        Hfed.AssertOneLineFailure(result, expected);
    }

    [Test]
    public async Task PlanShow_ValidPlan_PrintsTheTrainingItEnforces()
    {
        var show = await Hfed.RunAsync("plan", "show", _dir["plan.json"]);

        Assert.That(show.Exit, Is.Zero, show.Err);
        Assert.That(show.Out, Does.Contain("local training:     sgd, learning rate 0.05, batch 16, 10 steps, l2 0.001, momentum 0, seeds derived"));
        Assert.That(show.Out, Does.Contain("local schedule:     cosine to 0.1x over the rounds, early stopping on 0.1 of the rows (patience 2)"));
        Assert.That(show.Out, Does.Contain("strategy:           fedavg, server learning rate 1"));
        Assert.That(show.Out, Does.Contain("differential privacy: none (the aggregate model carries no noise").And.Not.Contain("epsilon"));
    }

    [Test]
    public async Task PlanProposeAndApprove_PlanWithPrivacy_ShowTheApproverEveryPrivacyFigure()
    {
        // Arrange: 3 rounds (2 of them training) at noise multiplier 3 fit epsilon 3.
        var path = _dir["privacy-plan.json"];
        await File.WriteAllTextAsync(path, PlanJson.Replace("\"perRoundApproval\":false}", "\"perRoundApproval\":false,\"privacy\":{\"epsilon\":3,\"delta\":1e-5,\"clipNorm\":0.5,\"minContributors\":2,\"noiseMultiplier\":3}}", StringComparison.Ordinal));
        var perRound = HospitalFed.Learning.Privacy.ZcdpConversion.Epsilon(1.0 / 18, 1e-5).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        string[] figures =
        [
            "differential privacy:",
            "  budget:            epsilon 3, delta 1e-5 for the whole plan",
            "  clip norm:         0.5 (L2 norm of each site's unweighted model delta)",
            "  noise multiplier:  3 (set by the plan)",
            "  min contributors:  2 (each site adds 1/2 of the noise; a round with fewer contributors is not released)",
            "  training rounds:   2 (round 1 pools public statistics from the schema's declared ranges and spends nothing)",
            $"  epsilon per round: {perRound} nominal at delta 1e-5",
            "  unit of privacy:   one site's whole contribution to a round",
        ];

        // Act
        var propose = await Hfed.RunAsync("plan", "propose", path, "--out", _dir["privacy-plan.canonical.json"]);
        var show = await Hfed.RunAsync("plan", "show", path);
        var approve = await Hfed.RunAsync("plan", "approve", path, "--cert", _dir["admin-1/cert.pem"], "--key", _dir["admin-1/admin-1.key.pem"], "--out", _dir["privacy-approval.json"]);

        // Assert: propose keeps the id alone on stdout for scripts and shows the figures on stderr.
        Assert.That(propose.Exit, Is.Zero, propose.Err);
        Assert.That(propose.Out.Trim(), Does.Match("^[0-9a-f]{64}$"));
        Assert.That(approve.Exit, Is.Zero, approve.Err);
        foreach (var text in new[] { propose.Err, show.Out, approve.Out })
        {
            foreach (var figure in figures)
            {
                Assert.That(text, Does.Contain(figure));
            }
        }

        Assert.That(approve.Out.IndexOf("differential privacy:", StringComparison.Ordinal), Is.LessThan(approve.Out.IndexOf("approved plan", StringComparison.Ordinal)));
    }

    [Test]
    public async Task PlanShow_PrivacyWithoutNoiseMultiplier_SaysItWasCalibrated()
    {
        var path = _dir["calibrated-plan.json"];
        await File.WriteAllTextAsync(path, PlanJson.Replace("\"perRoundApproval\":false}", "\"perRoundApproval\":false,\"privacy\":{\"epsilon\":8,\"delta\":1e-6,\"clipNorm\":1}}", StringComparison.Ordinal));

        var show = await Hfed.RunAsync("plan", "show", path);

        Assert.That(show.Exit, Is.Zero, show.Err);
        Assert.That(show.Out, Does.Match(@"noise multiplier:  [0-9.]+ \(calibrated to the budget over the training rounds\)"));
        Assert.That(show.Out, Does.Contain("min contributors:  3 ("), "minSites by default");
    }

    [Test]
    public async Task PlanPropose_PrivacyWithoutSecureAggregation_RefusedNamingTheField()
    {
        var path = _dir["unprotected-privacy-plan.json"];
        await File.WriteAllTextAsync(path, PlanJson.Replace("\"protection\":\"pairwise\"", "\"protection\":\"none\"", StringComparison.Ordinal).Replace("\"perRoundApproval\":false}", "\"perRoundApproval\":false,\"privacy\":{\"epsilon\":3,\"delta\":1e-5,\"clipNorm\":1}}", StringComparison.Ordinal));

        var propose = await Hfed.RunAsync("plan", "propose", path, "--out", _dir["unprotected-privacy.canonical.json"]);

        Hfed.AssertOneLineFailure(propose, "plan field 'privacy' needs secure aggregation");
        Assert.That(File.Exists(_dir["unprotected-privacy.canonical.json"]), Is.False);
    }

    [Test]
    public async Task PlanPropose_PrivacyUnderCkks_RefusedNamingTheProtection()
    {
        var path = _dir["ckks-privacy-plan.json"];
        await File.WriteAllTextAsync(path, PlanJson.Replace("\"protection\":\"pairwise\"", "\"protection\":\"ckks\"", StringComparison.Ordinal).Replace("\"perRoundApproval\":false}", "\"perRoundApproval\":false,\"privacy\":{\"epsilon\":3,\"delta\":1e-5,\"clipNorm\":1}}", StringComparison.Ordinal));

        var propose = await Hfed.RunAsync("plan", "propose", path, "--out", _dir["ckks-privacy.canonical.json"]);

        Hfed.AssertOneLineFailure(propose, "plan field 'privacy' needs \"protection\": \"pairwise\" in this release; under ckks the sites add no noise share and decline the plan");
        Assert.That(File.Exists(_dir["ckks-privacy.canonical.json"]), Is.False);
    }

    [TestCase("propose")]
    [TestCase("show")]
    [TestCase("approve")]
    [TestCase("status")]
    public async Task Plan_LearningRateNotANumber_EverySubcommandFailsNamingTheField(string subcommand)
    {
        // Arrange
        var path = _dir[$"fast-{subcommand}.json"];
        await File.WriteAllTextAsync(path, PlanJson.Replace("\"learningRate\":0.05", "\"learningRate\":\"fast\"", StringComparison.Ordinal));
        string[] args = subcommand switch
        {
            "propose" => ["plan", "propose", path, "--out", _dir["fast.canonical.json"]],
            "approve" => ["plan", "approve", path, "--cert", _dir["admin-1/cert.pem"], "--key", _dir["admin-1/admin-1.key.pem"], "--out", _dir["fast-approval.json"]],
            "status" => ["plan", "status", path, "--config", _dir["consortium.json"], "--root", _dir["ca/root.cert.pem"], "--crl", _dir["ca/consortium.crl.pem"]],
            _ => ["plan", "show", path],
        };

        // Act
        var result = await Hfed.RunAsync(args);

        // Assert
        Hfed.AssertOneLineFailure(result, "plan field 'hyperparameters.learningRate' must be a positive number, got \"fast\"");
        Assert.That(result.Exit, Is.EqualTo(2));
    }

    [TestCase("plan", "show", "nonexistent.json")]
    [TestCase("plan", "frobnicate")]
    [TestCase("pki", "init", "--name")]
    public async Task Hfed_UnknownOrIncompleteCommand_OneLineFailure(params string[] args)
    {
        var result = await Hfed.RunAsync(args);

        Hfed.AssertOneLineFailure(result, "");
    }

    private static async Task Approve(string admin, string file)
    {
        var result = await Hfed.RunAsync("plan", "approve", _dir["plan.json"], "--cert", _dir[$"{admin}/cert.pem"], "--key", _dir[$"{admin}/{admin}.key.pem"], "--out", _dir[file]);
        Assert.That(result.Exit, Is.Zero, result.Err);
    }

    private static Task<(int Exit, string Out, string Err)> Status(params string[] approvals) =>
        Hfed.RunAsync(["plan", "status", _dir["plan.json"], "--config", _dir["consortium.json"], "--root", _dir["ca/root.cert.pem"], "--crl", _dir["ca/consortium.crl.pem"], .. approvals]);
}
