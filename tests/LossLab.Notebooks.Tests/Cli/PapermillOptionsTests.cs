using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

public class PapermillOptionsTests
{
    /// <summary>`losslab run nbs OPTION… -o other` exits 2 naming the problem, and writes nothing under other/.</summary>
    static async Task RefusedBeforeAnyRun(string root, string message, params string[] option)
    {
        var (refused, _, err) = await Losslab(root, ["run", "nbs", .. option, "-o", "other"]);
        Assert.Equal(2, refused);
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(Path.Combine(root, "other")));
    }

    [Fact]
    public async Task Cwd_runs_the_cells_in_the_given_folder_and_a_missing_one_is_refused_by_name()
    {
        var root = Project(("nbs/here.ipynb", Notebook(Code("System.IO.File.WriteAllText(\"ran.txt\", \"x\");\nConsole.Write(System.IO.Path.GetFileName(Environment.CurrentDirectory));"))));
        Directory.CreateDirectory(Path.Combine(root, "work"));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--cwd", "work");
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(File.Exists(Path.Combine(root, "work", "ran.txt")));
        Assert.False(File.Exists(Path.Combine(root, "nbs", "ran.txt")));
        var nb = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "here.ipynb"));
        Assert.Equal("work", Text(nb.Cells.Single(c => c.IsCode).Outputs[0]));

        await RefusedBeforeAnyRun(root, "--cwd nowhere: no such folder", "--cwd", "nowhere");
    }

    [Fact]
    public async Task Autosave_during_a_cell_leaves_each_output_once_in_the_finished_notebook_and_a_bad_interval_is_refused()
    {
        // Text, a chart-like display updated in place, more text: autosaves every 50 ms catch the cell midway several times.
        var root = Project(("nbs/slow.ipynb", Notebook(Code(
            "Console.WriteLine(\"one\");\nvar shown = display(\"first\");\nSystem.Threading.Thread.Sleep(400);\nshown.Update(\"second\");\n" +
            "System.Threading.Thread.Sleep(400);\nConsole.WriteLine(\"two\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--autosave-cell-every", "0.05");

        Assert.True(exit == 0, stderr + stdout);
        var outputs = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "slow.ipynb")).Cells.Single(c => c.IsCode).Outputs;
        Assert.Equal(["stream", "display_data", "stream"], outputs.Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.Equal("one\n", Text(outputs[0]));
        Assert.Equal("second", Text(outputs[1]));
        Assert.Equal("two\n", Text(outputs[2]));

        await RefusedBeforeAnyRun(root, "--autosave-cell-every -1: expected seconds ≥ 0", "--autosave-cell-every", "-1");
    }

    [Fact]
    public async Task Out_template_puts_parameter_values_in_the_path_safely_and_refuses_an_unknown_name()
    {
        var root = Project(("nbs/lr.ipynb", Notebook(Code("string LearningRate = \"0.01\";", "parameters"), Code("Console.Write(LearningRate);"))));

        var (a, outA, errA) = await Losslab(root, "run", "nbs/lr.ipynb", "--in-process", "-o", "runs/lr-{LearningRate}-{Scale}", "--scale", "smoke", "-p", "LearningRate", "0.1");
        Assert.True(a == 0, errA + outA);
        var (b, outB, errB) = await Losslab(root, "run", "nbs/lr.ipynb", "--in-process", "-o", "runs/lr-{LearningRate}-{Scale}", "--scale", "smoke", "-p", "LearningRate", "1/2 x");
        Assert.True(b == 0, errB + outB);

        var first = IpynbFormat.Read(Path.Combine(root, "runs", "lr-0.1-smoke", "nbs", "lr.ipynb"));
        var second = IpynbFormat.Read(Path.Combine(root, "runs", "lr-1_2_x-smoke", "nbs", "lr.ipynb"));
        Assert.Equal("0.1", Text(first.Cells.Last(c => c.IsCode).Outputs[0]));
        Assert.Equal("1/2 x", Text(second.Cells.Last(c => c.IsCode).Outputs[0]));
        Assert.Equal(["lr-0.1-smoke", "lr-1_2_x-smoke"], Directory.GetDirectories(Path.Combine(root, "runs")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray());

        var (refused, _, err) = await Losslab(root, "run", "nbs/lr.ipynb", "--in-process", "-o", "runs/lr-{Rate}", "-p", "LearningRate", "0.2");
        Assert.Equal(2, refused);
        Assert.Contains("{Rate} is not a parameter of this run (given: LearningRate)", err);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(root, "runs")).Length);
    }

    [Fact]
    public void Template_values_are_one_safe_path_segment()
    {
        Assert.Equal("0.001", LossLab.Notebooks.Execution.PathSegment.Safe("0.001"));
        Assert.Equal("a_b_c", LossLab.Notebooks.Execution.PathSegment.Safe("a/b c"));
        Assert.Equal("_", LossLab.Notebooks.Execution.PathSegment.Safe(".."));
        Assert.Equal("_", LossLab.Notebooks.Execution.PathSegment.Safe(""));
        Assert.Equal("x-_1e-3", LossLab.Notebooks.Execution.PathSegment.Safe("x-\\1e-3"));
        Assert.Equal("runs/3_4", LossLab.Cli.Commands.OutputTemplate.Expand("runs/{ Seeds }", new Dictionary<string, string> { ["Seeds"] = "3,4" }));
    }

    [Fact]
    public async Task Report_mode_hides_code_sources_in_the_notebook_and_the_site_and_render_merges_shards()
    {
        var root = Project(
            ("nbs/a.ipynb", Notebook(Markdown("# A"), Code("Console.Write(\"OUT_A\");"))),
            ("nbs/b.ipynb", Notebook(Markdown("# B"), Code("Console.Write(\"OUT_B\");"))));

        var (exit1, o1, e1) = await Losslab(root, "run", "nbs", "--report-mode", "--shard", "1/2", "-o", "s1");
        Assert.True(exit1 == 0, e1 + o1);
        var (exit2, o2, e2) = await Losslab(root, "run", "nbs", "--shard", "2/2", "-o", "s2");
        Assert.True(exit2 == 0, e2 + o2);

        var a = IpynbFormat.Read(Path.Combine(root, "s1", "nbs", "a.ipynb"));
        Assert.True(a.Cells.Single(c => c.IsCode).Metadata["jupyter"]!["source_hidden"]!.GetValue<bool>());
        var page = File.ReadAllText(Path.Combine(root, "s1", "site", "nbs", "a.html"));
        Assert.Contains("<details class=\"code\"><summary>", page);
        Assert.DoesNotContain("<details class=\"code\" open>", page);
        Assert.Contains("OUT_A", page);

        var (merged, mo, me) = await Losslab(root, "render", "s1", "s2", "--site", "all/site");
        Assert.True(merged == 0, me + mo);
        Assert.Contains("(2 notebooks;", mo);
        Assert.Contains("OUT_B", File.ReadAllText(Path.Combine(root, "all", "site", "nbs", "b.html")));
        Assert.True(File.Exists(Path.Combine(root, "all", "scoreboard.json")));

        var (dup, _, de) = await Losslab(root, "render", "s1", "s1", "--site", "dup/site");
        Assert.Equal(2, dup);
        Assert.Contains("nbs/a.ipynb is in both", de);
    }
}
