using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Sweeps;
using LossLab.Notebooks.Tests.Execution;
using Xunit.Abstractions;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary><c>losslab sweep</c> with the local executor, and through a real Slurm (tools/slurm-one-node.sh) when one runs
/// here: the same numbers from both, a cancelled task reported missing and resumed, a bad point failing alone.</summary>
public class SweepCommandTests(ITestOutputHelper log)
{
    const string Tiny = """
        {"cells": [
          {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": null, "outputs": [],
           "source": ["int Width = 2;\n", "double Rate = 0.5;\n", "int Sleep = 0;\n", "string Scale = \"default\";"]},
          {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
           "source": ["System.Threading.Thread.Sleep(Sleep);\n", "if (Rate < 0) throw new Exception(\"negative rate\");\n", "Console.WriteLine($\"{Width * Rate} {Scale}\");"]}],
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}, "language_info": {"name": "C#"}},
         "nbformat": 4, "nbformat_minor": 5}
        """;

    static string Folder(string yaml)
    {
        var dir = NotebookHarness.Scratch();
        File.WriteAllText(Path.Combine(dir, "tiny.ipynb"), Tiny);
        File.WriteAllText(Path.Combine(dir, "sweep.yaml"), yaml);
        return dir;
    }

    static string Stdout(string folder, string point) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "points", point, "tiny.ipynb")))!["cells"]!.AsArray()[^1]!["outputs"]![0]!["text"]!.AsArray()
            .Select(l => l!.GetValue<string>()).Aggregate("", string.Concat);

    [Fact]
    public async Task A_local_sweep_runs_every_point_into_its_folder_a_bad_point_fails_alone_and_resume_reruns_only_the_unfinished()
    {
        var dir = Folder("notebooks: [tiny.ipynb]\nscale: smoke\nparameters:\n  Width: [1, 3]\n  Rate: [0.5, -1]\n");
        var dry = await LosslabCommandTests.Losslab(dir, "sweep", "sweep.yaml", "--dry-run");
        Assert.Equal(0, dry.Exit);
        Assert.Contains("4 points × 1 notebook(s), scale smoke", dry.Out);
        Assert.Contains("3  Width=3,Rate=-1  -y \"{Width: 3, Rate: '-1'}\"", dry.Out);
        Assert.False(Directory.Exists(Path.Combine(dir, "sweep")));   // a dry run writes nothing

        var run = await LosslabCommandTests.Losslab(dir, "sweep", "sweep.yaml", "--jobs", "2");
        log.WriteLine(run.Out + run.Err);
        Assert.Equal(1, run.Exit);
        Assert.Contains("2 done, 2 failed", run.Out);
        var out1 = Path.Combine(dir, "sweep");
        Assert.Equal("0.5 smoke\n", Stdout(out1, "Width=1,Rate=0.5"));   // Width · Rate, at the sweep's scale
        Assert.Equal("1.5 smoke\n", Stdout(out1, "Width=3,Rate=0.5"));
        Assert.Contains("negative rate", File.ReadAllText(Path.Combine(out1, "points", "Width=3,Rate=-1", "run.log")));

        var status = await LosslabCommandTests.Losslab(dir, "sweep", "status", "sweep");
        Assert.Equal(1, status.Exit);
        Assert.Matches(@"0  done\s+Width=1,Rate=0.5", status.Out);
        Assert.Matches(@"1  failed\s+Width=1,Rate=-1  \(exit 1;", status.Out);
        Assert.Contains("2 done, 2 failed", status.Out);

        // A task that died while running (its record says running, its process is gone) and a point never started.
        var manifest = SweepManifest.Load(out1);
        manifest.WriteRecord(manifest.Points[0], new PointRecord(PointState.Running, null, DateTimeOffset.UtcNow, null, Environment.MachineName, DeadPid()));
        File.Delete(Path.Combine(manifest.PointFolder(manifest.Points[2]), SweepManifest.RecordName));
        status = await LosslabCommandTests.Losslab(dir, "sweep", "status", "sweep");
        Assert.Matches(@"0  missing\s+Width=1,Rate=0.5  \(started .* then cancelled or died\)", status.Out);
        Assert.Matches(@"2  not started\s+Width=3,Rate=0.5", status.Out);

        var before = File.GetLastWriteTimeUtc(Path.Combine(manifest.PointFolder(manifest.Points[1]), SweepManifest.RecordName));
        var resume = await LosslabCommandTests.Losslab(dir, "sweep", "resume", "sweep");
        Assert.Contains("resuming 2 of 4 points", resume.Out);
        Assert.Equal(0, resume.Exit);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(manifest.PointFolder(manifest.Points[1]), SweepManifest.RecordName)));   // failed: kept
        status = await LosslabCommandTests.Losslab(dir, "sweep", "status", "sweep");
        Assert.Contains("2 done, 2 failed", status.Out);

        // A bad parameter value fails its point alone, refused by name before any cell runs.
        File.WriteAllText(Path.Combine(dir, "bad.yaml"), "notebooks: [tiny.ipynb]\nparameters:\n  Width: [2, wide]\n");
        var bad = await LosslabCommandTests.Losslab(dir, "sweep", "bad.yaml", "--out", "bad");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("1 done, 1 failed", bad.Out);
        Assert.Equal("1 default\n", Stdout(Path.Combine(dir, "bad"), "Width=2"));
        Assert.Contains("Width", File.ReadAllText(Path.Combine(dir, "bad", "points", "Width=wide", "run.log")));
        Assert.False(File.Exists(Path.Combine(dir, "bad", "points", "Width=wide", "tiny.ipynb")));

        var other = Folder("notebooks: [tiny.ipynb]\nparameters:\n  Width: [7]\n");
        File.Copy(Path.Combine(other, "sweep.yaml"), Path.Combine(dir, "other.yaml"));
        var clash = await LosslabCommandTests.Losslab(dir, "sweep", "other.yaml");
        Assert.Equal(2, clash.Exit);
        Assert.Contains("holds another sweep", clash.Err);
    }

    [Fact]
    public async Task Render_writes_one_table_and_a_chart_of_a_claim_against_a_parameter_with_seeds_averaged()
    {
        var lib = Path.Combine(RepositoryNotebooksTests.RepositoryRoot(), "lib", "LossLab", "bin", "Release", "net10.0", "LossLab.dll");
        var dir = NotebookHarness.Scratch();
        // A claim whose sample is {W + S/10, W + 1 + S/10, W + 2 + S/10}: its estimate (the mean) is W + 1 + S/10.
        File.WriteAllText(Path.Combine(dir, "claim.ipynb"), """
            {"cells": [
              {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": null, "outputs": [],
               "source": ["int Width = 2;\n", "int Seed = 1;\n", "string Scale = \"default\";"]},
              {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
               "source": ["#r \"LIBRARY\"\n", "using LossLab.Experiments;\n",
                          "var claims = new Claims(RunScales.Parse(Scale));\n",
                          "claims.OneSample(id: \"width-shows\", paper: \"test\", claim: \"the width shows\", sample: new[] { Width + Seed / 10.0, Width + 1 + Seed / 10.0, Width + 2 + Seed / 10.0 }, statistic: \"width\", expect: Expect.Above(0), values: new Dictionary<string, double> { [\"width_squared\"] = Width * Width });\n",
                          "claims.Display();"]}],
             "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}, "language_info": {"name": "C#"}},
             "nbformat": 4, "nbformat_minor": 5}
            """.Replace("LIBRARY", lib, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(dir, "sweep.yaml"), "notebooks: [claim.ipynb]\nparameters:\n  Width: [1, 3]\n  Seed: [1, 2]\n");
        var run = await LosslabCommandTests.Losslab(dir, "sweep", "sweep.yaml", "--jobs", "2");
        Assert.True(run.Exit == 0, run.Out + run.Err);

        var render = await LosslabCommandTests.Losslab(dir, "sweep", "render", "sweep", "--by", "Width", "--seeds", "Seed");
        Assert.True(render.Exit == 0, render.Out + render.Err);
        Assert.Contains("4 points, 4 claim results; 4 done", render.Out);
        var csv = File.ReadAllLines(Path.Combine(dir, "sweep", "sweep.csv"));
        Assert.Equal("index,point,state,Width,Seed,notebook,claim,verdict,estimate,lower,upper,n,width_squared", csv[0]);
        Assert.StartsWith("3,\"Width=3,Seed=2\",done,3,2,claim.ipynb,width-shows,held,4.2,", csv[4]);
        Assert.EndsWith(",3,9", csv[4]);   // n = 3 samples; the value the notebook recorded with the claim, W²
        Assert.Equal(5, csv.Length);
        var frame = Deedle.Frame.ReadCsv(Path.Combine(dir, "sweep", "sweep.csv"), hasHeaders: true, inferTypes: true);   // as a notebook loads it
        Assert.Equal(4, frame.RowCount);
        Assert.Equal([2.1, 2.2, 4.1, 4.2], frame.GetColumn<double>("estimate").Values.Select(v => Math.Round(v, 12)));
        var table = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "sweep", "sweep-table.json")))!.AsArray();
        Assert.Equal(2.2, table[1]!["estimate"]!.GetValue<double>(), 12);   // Width 1, Seed 2: W + 1 + S/10
        var board = LossLab.Notebooks.Site.Scoreboard.Load(Path.Combine(dir, "sweep", "scoreboard.json"));
        Assert.Equal(["Width=1,Seed=1/claim.ipynb/width-shows", "Width=1,Seed=2/claim.ipynb/width-shows", "Width=3,Seed=1/claim.ipynb/width-shows", "Width=3,Seed=2/claim.ipynb/width-shows"],
            board.Entries.Select(e => e.Key));
        var html = File.ReadAllText(Path.Combine(dir, "sweep", "sweep.html"));
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("<h2>Recorded values</h2>", html);
        Assert.Contains("<td>3</td><td>Width=3,Seed=2</td><td>9</td>", html);   // W² for Width 3
        Assert.Contains("points/Width=1,Seed=1/site/index.html", html);
        Assert.True(File.Exists(Path.Combine(dir, "sweep", "plotly.min.js")));

        // The chart's line: at Width W the mean over seeds of W + 1 + S/10 is W + 1.15, with the t-interval of two values
        // 0.1 apart: half-width t(0.975, 1) · s / √2 = 12.7062 · 0.070711 / 1.414214 = 0.635310.
        var manifest = SweepManifest.Load(Path.Combine(dir, "sweep"));
        var rows = SweepReport.Rows(manifest, _ => "done");
        var line = Assert.Single(SweepReport.Lines(manifest, rows, "claim.ipynb/width-shows", "Width", "Seed"));
        Assert.Equal(["1", "3"], line.Points.Select(p => p.X));
        Assert.Equal([2.15, 4.15], line.Points.Select(p => Math.Round(p.Y, 12)));
        Assert.All(line.Points, p => Assert.Equal(0.635310, p.Upper!.Value - p.Y, 5));
        Assert.All(line.Points, p => Assert.Equal(2, p.Runs));

        var bad = await LosslabCommandTests.Losslab(dir, "sweep", "render", "sweep", "--by", "Depth");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--by Depth: not a varying parameter of this sweep (Width, Seed)", bad.Err);
    }

    static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true"))!;
        p.WaitForExit();
        return p.Id;
    }

    static async Task<bool> SlurmUp()
    {
        try
        {
            var start = new ProcessStartInfo("sinfo", "-h -o %T") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(start)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return p.ExitCode == 0 && output.Split('\n').Any(s => s.Trim() is "idle" or "mixed" or "allocated");
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    [SkippableFact]
    public async Task Through_slurm_a_real_notebooks_sweep_gives_the_local_numbers_and_a_cancelled_task_is_reported_missing_and_resumed()
    {
        Skip.IfNot(await SlurmUp(), "No Slurm node is up here (start one as root with tools/slurm-one-node.sh).");
        var root = RepositoryNotebooksTests.RepositoryRoot();
        var dir = NotebookHarness.Scratch();
        File.WriteAllText(Path.Combine(dir, "sweep.yaml"),
            $"notebooks: ['{Path.Combine(root, "notebooks", "optimization", "nb5.4-plasticity.ipynb")}']\nscale: smoke\nparameters:\n  RunSeeds: [[1], [2]]\n  Hidden: [16, 32]\n");
        var watch = Stopwatch.StartNew();
        var local = await LosslabCommandTests.Losslab(dir, "sweep", "sweep.yaml", "--out", "local", "--jobs", "2");
        var localSeconds = watch.Elapsed.TotalSeconds;
        Assert.True(local.Exit == 0, local.Out + local.Err);
        watch.Restart();
        var slurm = await LosslabCommandTests.Losslab(dir, "sweep", "sweep.yaml", "--out", "slurm", "--executor", "slurm", "--wait");
        var slurmSeconds = watch.Elapsed.TotalSeconds;
        log.WriteLine($"2 × 2 smoke sweep of nb5.4: local (--jobs 2) {localSeconds:0.0} s, Slurm {slurmSeconds:0.0} s");
        Assert.True(slurm.Exit == 0, slurm.Out + slurm.Err);
        foreach (var point in SweepManifest.Load(Path.Combine(dir, "local")).Points)
        {
            static string Claims(string file) => string.Join("\n", JsonNode.Parse(File.ReadAllText(file))!["claims"]!.AsArray()
                .Select(c => $"{c!["id"]} {c["verdict"]} {c["estimate"]?.ToJsonString()} {c["interval"]?.ToJsonString()}"));
            Assert.Equal(Claims(Path.Combine(dir, "local", "points", point.Name, "scoreboard.json")), Claims(Path.Combine(dir, "slurm", "points", point.Name, "scoreboard.json")));
        }

        // A cancelled array task: reported missing, then resumed.
        var tiny = Folder("notebooks: [tiny.ipynb]\nparameters:\n  Sleep: [4000, 4001, 4002]\n");
        var submit = await LosslabCommandTests.Losslab(tiny, "sweep", "sweep.yaml", "--executor", "slurm");
        Assert.Equal(0, submit.Exit);
        var job = System.Text.RegularExpressions.Regex.Match(submit.Out, @"job array (\d+)").Groups[1].Value;
        var manifest = SweepManifest.Load(Path.Combine(tiny, "sweep"));
        var deadline = Stopwatch.StartNew();
        while (manifest.Record(manifest.Points[0]) is not { State: PointState.Running } && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        Assert.Equal(0, (await Run("scancel", $"{job}_0")).Exit);
        while ((await Run("squeue", $"-h -j {job}")).Out.Trim().Length > 0 && deadline.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(500);
        var status = await LosslabCommandTests.Losslab(tiny, "sweep", "status", "sweep");
        Assert.Matches(@"0  missing\s+Sleep=4000", status.Out);
        Assert.Contains("2 done, 1 missing", status.Out);
        var resume = await LosslabCommandTests.Losslab(tiny, "sweep", "resume", "sweep", "--executor", "slurm", "--wait");
        Assert.True(resume.Exit == 0, resume.Out + resume.Err);
        Assert.Contains("resuming 1 of 3 points", resume.Out);
        status = await LosslabCommandTests.Losslab(tiny, "sweep", "status", "sweep");
        Assert.Contains("3 done", status.Out);
    }

    static async Task<(int Exit, string Out)> Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }
}
