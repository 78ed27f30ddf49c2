using System.Diagnostics;
using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>The losslab command, run as a child process the way users and CI run it.</summary>
[Collection("Engine")]
public class LosslabCommandTests
{
    static async Task<(int Exit, string Out, string Err)> Losslab(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LossLab.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    static string Project(params (string Path, string Text)[] files)
    {
        var root = Scratch();
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return root;
    }

    static readonly string Greeter = Notebook(Code("string Scale = \"default\";\nstring Name = \"world\"; // who to greet", "parameters"), Code("Console.Write($\"{Scale}:{Name}\");"));

    [Fact]
    public async Task Run_mirrors_the_tree_under_artifacts_passes_parameters_safely_and_fails_naming_notebook_and_cell()
    {
        const string Hostile = "\"; System.IO.File.WriteAllText(\"pwned\", \"\"); //";
        var root = Project(
            ("nbs/a/good.ipynb", Greeter),
            ("nbs/b/bad.ipynb", Notebook(Code("string Name = \"x\";", "parameters"), Code("var n = 1;\nthrow new Exception(\"boom\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-p", "Name", Hostile, "--scale", "smoke");

        Assert.Equal(1, exit);
        var good = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "a", "good.ipynb"));
        Assert.Equal($"smoke:{Hostile}", Text(good.Cells[^1].Outputs[0]));
        Assert.Empty(Directory.GetFiles(root, "pwned", SearchOption.AllDirectories));
        var bad = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "b", "bad.ipynb"));
        var failing = bad.Cells.Single(c => c.Source.StartsWith("var n", StringComparison.Ordinal));
        Assert.Contains($"losslab: FAILED nbs/b/bad.ipynb: cell 3 (In [3]), id {failing.Id}: System.Exception: boom", stderr);
        Assert.Contains("1 of 2 notebooks failed.", stdout);
    }

    [Fact]
    public async Task Jobs_run_notebooks_in_child_processes_and_shards_split_the_sorted_list()
    {
        var root = Project(("one.ipynb", Greeter), ("two.ipynb", Greeter), ("three.dib", "#!csharp\n\nConsole.Write(1);"));

        var (exit, stdout, stderr) = await Losslab(root, "run", ".", "--jobs", "2", "--out", "runs", "--shard", "2/2");

        Assert.True(exit == 0, stderr + stdout);
        // sorted: one.ipynb, three.dib, two.ipynb → shard 2 of 2 is three.dib only
        Assert.Equal("1", Text(IpynbFormat.Read(Path.Combine(root, "runs", "three.ipynb")).Cells[^1].Outputs[0]));
        Assert.False(File.Exists(Path.Combine(root, "runs", "one.ipynb")));
        Assert.Contains("1 notebooks ran, none failed.", stdout);

        (exit, stdout, stderr) = await Losslab(root, "run", "one.ipynb", "two.ipynb", "--jobs", "2", "--out", "runs", "-p", "Name", "jobs");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("default:jobs", Text(IpynbFormat.Read(Path.Combine(root, "runs", "two.ipynb")).Cells[^1].Outputs[0]));
        Assert.Contains("2 notebooks ran, none failed.", stdout);
    }

    [Fact]
    public async Task Params_lists_name_type_default_and_comment()
    {
        var root = Project(("g.ipynb", Greeter));
        var (exit, stdout, _) = await Losslab(root, "params", "g.ipynb");
        Assert.Equal(0, exit);
        Assert.Matches(@"Name\s*│\s*string\s*│\s*""world""\s*│\s*who to greet", stdout);
        Assert.Matches(@"Scale\s*│\s*string\s*│\s*""default""", stdout);
    }

    [Fact]
    public async Task Check_accepts_a_clean_notebook_and_lists_the_problems_of_others()
    {
        var withOutputs = Notebook(Code("1")).Replace("\"outputs\": []", "\"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"x\"]}]");
        var root = Project(("clean.ipynb", Greeter), ("dirty.ipynb", withOutputs), ("broken.ipynb", "{"));

        var (exit, stdout, _) = await Losslab(root, "check", ".");

        Assert.Equal(1, exit);
        Assert.Contains("ok      clean.ipynb", stdout);
        Assert.Contains("FAILED  dirty.ipynb", stdout);
        Assert.Contains("cell 1 has stored outputs", stdout);
        Assert.Contains("no code cell is tagged \"parameters\"", stdout);
        Assert.Contains("not valid JSON at line 1", stdout);
        Assert.Contains("1 of 3 notebooks pass.", stdout);
    }

    [Fact]
    public async Task A_malformed_notebook_or_bad_parameter_fails_the_run_with_the_reason()
    {
        var root = Project(("broken.ipynb", "{\"cells\": 3, \"nbformat\": 4}"), ("g.ipynb", Greeter));

        var (exit, _, stderr) = await Losslab(root, "run", ".", "-p", "Nmae", "x");

        Assert.Equal(1, exit);
        Assert.Contains("losslab: FAILED broken.ipynb: broken.ipynb: there is no \"cells\" array.", stderr.Replace(root + "/", ""));
        Assert.Contains("losslab: FAILED g.ipynb: -p Nmae: unknown parameter 'Nmae'. Declared: Scale (string), Name (string).", stderr);
    }
}
