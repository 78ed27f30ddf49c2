using System.Text.Json.Nodes;
using LossLab.Cli.Commands;
using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>The execution cache of <c>losslab run</c>: each input of the key, when changed, makes the notebook run again;
/// nothing changed, it is reused.</summary>
[Collection("Engine")]
public class ExecutionCacheTests
{
    static readonly string Greeter = Notebook(Code("string Scale = \"default\";\nstring Name = \"world\";", "parameters"), Code("Console.Write($\"{Scale}:{Name}\");"));

    /// <summary>A notebook that declares data/train.csv as its input.</summary>
    static string WithInputs(string notebook, params string[] inputs)
    {
        var json = JsonNode.Parse(notebook)!.AsObject();
        json["metadata"]!["losslab"] = new JsonObject { ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)JsonValue.Create(i))]) };
        return json.ToJsonString();
    }

    /// <summary>Settings for the notebooks under <paramref name="root"/>, and a recorded successful run of each (its executed
    /// copy stands in as a small file).</summary>
    static RunSettings Recorded(string root, RunSettings? settings = null, params string[] notebooks)
    {
        settings ??= new RunSettings { Notebooks = [.. notebooks.Select(n => Path.Combine(root, n))], OutDir = Path.Combine(root, "out"), Root = root };
        foreach (var n in settings.Notebooks)
        {
            var output = settings.OutputFor(n);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            File.WriteAllText(output, "{\"executed\": true}");
            ExecutionCache.Record(settings, n, new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        }
        return settings;
    }

    static ExecutionCache.Decision Decide(RunSettings settings) => Assert.Single(ExecutionCache.Decide(settings, null));

    [Fact]
    public void Unchanged_is_cached_with_its_run_date_and_each_input_of_the_key_invalidates()
    {
        var root = Project(("nb.ipynb", WithInputs(Greeter, "data/train.csv", "data/images")), ("data/train.csv", "x,y\n1,2\n"), ("data/images/a.txt", "a"));
        var settings = Recorded(root, new RunSettings { Notebooks = [Path.Combine(root, "nb.ipynb")], OutDir = Path.Combine(root, "out"), Root = root, Scale = "smoke", Parameters = [("Name", "ada")] });

        var same = Decide(settings);
        Assert.False(same.Run);
        Assert.Equal("cached: unchanged since 2026-12-04T10:00Z", same.Reason);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), same.RanAt);

        Assert.Equal("run: parameter Scale changed", Decide(settings with { Scale = "default" }).Reason);
        Assert.Equal("run: parameter Name changed", Decide(settings with { Parameters = [("Name", "bob")] }).Reason);
        Assert.Equal("run: parameter Name changed", Decide(settings with { Parameters = [] }).Reason);
        Assert.Equal("run: parameter YAML #1 changed", Decide(settings with { ParameterYaml = ["Name: bob"] }).Reason);

        Assert.Equal("run: option --allow-errors changed", Decide(settings with { AllowErrors = true }).Reason);
        Assert.Equal("run: option --execution-timeout changed", Decide(settings with { ExecutionTimeoutSeconds = 60 }).Reason);

        File.WriteAllText(Path.Combine(root, "data", "train.csv"), "x,y\n1,3\n");
        Assert.Equal("run: data/train.csv changed", Decide(settings).Reason);
        File.WriteAllText(Path.Combine(root, "data", "train.csv"), "x,y\n1,2\n");
        Assert.False(Decide(settings).Run);
        File.WriteAllText(Path.Combine(root, "data", "images", "b.txt"), "b");   // a new file in a declared folder
        Assert.Equal("run: data/images changed", Decide(settings).Reason);
        File.Delete(Path.Combine(root, "data", "images", "b.txt"));
        Assert.False(Decide(settings).Run);

        // The code: a changed cell source changes the key; a markdown edit does not.
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "nb.ipynb")))!.AsObject();
        document["cells"]!.AsArray().Add(new JsonObject { ["cell_type"] = "markdown", ["id"] = "md000001", ["metadata"] = new JsonObject(), ["source"] = "# notes" });
        File.WriteAllText(Path.Combine(root, "nb.ipynb"), document.ToJsonString());
        Assert.False(Decide(settings).Run);
        File.WriteAllText(Path.Combine(root, "nb.ipynb"), File.ReadAllText(Path.Combine(root, "nb.ipynb")).Replace("Console.Write(", "Console.WriteLine(", StringComparison.Ordinal));
        Assert.Equal("run: code changed", Decide(settings).Reason);
    }

    [Fact]
    public void A_rebuilt_assembly_a_failed_or_interrupted_run_and_a_corrupted_record_all_rerun()
    {
        var root = Project(("a.ipynb", Greeter));
        var settings = Recorded(root, null, "a.ipynb");
        var output = settings.OutputFor(settings.Notebooks[0]);
        var record = ExecutionCache.RecordPath(output);
        Assert.Equal(Path.Combine(root, "out", "a.cache.json"), record);

        // Another build of LossLab.dll (its module version id is in the key).
        var json = JsonNode.Parse(File.ReadAllText(record))!.AsObject();
        json["key"]!["assemblies"]!["LossLab"] = Guid.Empty.ToString();
        File.WriteAllText(record, json.ToJsonString());
        Assert.Equal("run: LossLab changed", Decide(settings).Reason);

        // A later run that failed or was interrupted rewrote the executed copy: it no longer matches its record.
        Recorded(root, settings);
        File.WriteAllText(output, "{\"executed\": \"half\"}");
        Assert.Equal("run: previous run failed or was interrupted", Decide(settings).Reason);

        // A run that did not succeed leaves no record.
        File.Delete(record);
        Assert.Equal("run: previous run failed or was not recorded", Decide(settings).Reason);
        File.Delete(output);
        Assert.Equal("run: no previous run", Decide(settings).Reason);

        // A corrupted record: run again, with a note naming it, never a crash.
        Recorded(root, settings);
        File.WriteAllText(record, "{\"key\": [1, 2");
        var corrupted = Decide(settings);
        Assert.True(corrupted.Run);
        Assert.Equal("run: the cache record is unreadable", corrupted.Reason);
        Assert.Contains("a.cache.json is not a valid cache record", corrupted.Note);
        File.WriteAllText(record, "[]");
        Assert.Equal("run: the cache record is unreadable", Decide(settings).Reason);
    }

    [Fact]
    public void Force_reruns_all_or_the_notebooks_under_the_paths_named()
    {
        var root = Project(("x/a.ipynb", Greeter), ("x/b.ipynb", Greeter), ("y/c.ipynb", Greeter));
        var settings = Recorded(root, null, "x/a.ipynb", "x/b.ipynb", "y/c.ipynb");
        string[] Runs(IReadOnlyList<string>? force) =>
            [.. ExecutionCache.Decide(settings, force).Where(d => d.Run).Select(d => Path.GetRelativePath(root, d.Notebook))];

        Assert.Empty(Runs(null));
        Assert.Equal(["x/a.ipynb", "x/b.ipynb", "y/c.ipynb"], Runs([]));
        Assert.Equal(["x/a.ipynb", "x/b.ipynb"], Runs([Path.Combine(root, "x") + "/"]));
        Assert.Equal(["x/b.ipynb", "y/c.ipynb"], Runs([Path.Combine(root, "x", "b.ipynb"), Path.Combine(root, "y")]));
        Assert.Empty(Runs([Path.Combine(root, "x", "a")]));   // a prefix of a name is not a folder
        Assert.Equal("run: forced", ExecutionCache.Decide(settings, [])[0].Reason);
    }

    [Fact]
    public async Task Run_reuses_unchanged_notebooks_reruns_changed_ones_and_dry_run_lists_why()
    {
        var root = Project(("nbs/a.ipynb", Greeter), ("nbs/b.ipynb", Greeter));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", "ada");
        Assert.True(exit == 0, stderr + stdout);
        var a = Path.Combine(root, "artifacts", "nbs", "a.ipynb");
        var first = File.ReadAllText(a);
        Assert.Equal("default:ada", Text(IpynbFormat.Read(a).Cells[^1].Outputs[0]));

        File.WriteAllText(Path.Combine(root, "nbs", "b.ipynb"), Greeter.Replace("Console.Write(", "Console.WriteLine(", StringComparison.Ordinal));
        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", "ada", "--dry-run");
        Assert.True(exit == 0, stderr + stdout);
        var stamp = DateTimeOffset.Parse(IpynbFormat.Read(a).Metadata["papermill"]!["start_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches(@"nbs/a\.ipynb: cached: unchanged since \d{4}-\d\d-\d\dT\d\d:\d\dZ\n", stdout);
        Assert.Contains("nbs/b.ipynb: run: code changed\n", stdout);
        Assert.Contains("losslab: dry run: 1 would run, 1 cached; nothing was run.", stdout);
        Assert.Equal(first, File.ReadAllText(a));
        Assert.True(stamp <= DateTimeOffset.UtcNow);

        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", "ada");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("2 notebooks ran (1 cached), none failed.", stdout);
        // Reused as it was (same run date, same outputs), marked as cached for the site, and still valid for the next run.
        var firstCopy = Path.Combine(root, "first.ipynb");
        File.WriteAllText(firstCopy, first);
        var before = IpynbFormat.Read(firstCopy);
        var reused = IpynbFormat.Read(a);
        Assert.Equal(before.Metadata["papermill"]!.ToJsonString(), reused.Metadata["papermill"]!.ToJsonString());
        Assert.Equal(Text(before.Cells[^1].Outputs[0]), Text(reused.Cells[^1].Outputs[0]));
        var mark = reused.Metadata["losslab"]!["cached"]!;
        var ran = DateTimeOffset.Parse(mark["ran"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((ran - stamp).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(30));   // the first run's start, not this run's
        var page = File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "a.html"));
        Assert.Contains("<dt>cached</dt><dd>reused by the run of ", page);
        Assert.DoesNotContain("<dt>cached</dt>", File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "b.html")));
        Assert.Equal("default:ada\n", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "b.ipynb")).Cells[^1].Outputs[0]));

        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", "ada", "--dry-run", "--force", "nbs/a.ipynb");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("nbs/a.ipynb: run: forced\n", stdout);
        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", "ada", "--dry-run");   // the marked copy is still valid
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("losslab: dry run: 0 would run, 2 cached; nothing was run.", stdout);

        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--force", "nbs/zzz");
        Assert.Equal(2, exit);
        Assert.Contains("losslab: --force nbs/zzz: no notebook of this run is, or is under, that path. Nothing was run.", stderr);
    }
}
