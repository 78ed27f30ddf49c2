using LossLab.Notebooks.Tests.Execution;
using System.Diagnostics;
using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>The losslab command, run as a child process the way users and CI run it.</summary>
[Collection("Engine")]
public class LosslabCommandTests
{
    /// <summary>How the tests start <c>losslab</c>: the built CLI under <c>dotnet</c>, its streams redirected.</summary>
    internal static ProcessStartInfo LosslabStart(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LossLab.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    internal static Task<(int Exit, string Out, string Err)> Losslab(string workingDirectory, params string[] args) =>
        Losslab(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the command with <paramref name="environment"/> added to this process's environment.</summary>
    internal static async Task<(int Exit, string Out, string Err)> Losslab(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = LosslabStart(workingDirectory, args);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static string Project(params (string Path, string Text)[] files)
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
        Assert.Contains("1 notebook ran, none failed.", stdout);

        (exit, stdout, stderr) = await Losslab(root, "run", "one.ipynb", "two.ipynb", "--jobs", "2", "--out", "runs", "-p", "Name", "jobs");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("default:jobs", Text(IpynbFormat.Read(Path.Combine(root, "runs", "two.ipynb")).Cells[^1].Outputs[0]));
        Assert.Contains("2 notebooks ran, none failed.", stdout);
    }

    /// <summary>TorchSharp's temporary scalars (every <c>x + y</c>, <c>x * 2.5</c>, <c>add_(c)</c>) are not kept alive across
    /// their native call, so a garbage collection triggered by another thread while libtorch runs can free one in use
    /// (environment.md, "Same seed, same numbers"). A collection triggered by the cell thread itself cannot land inside
    /// its own native call; so in a notebook's process the cell thread must be the only thread that allocates while a
    /// cell runs, printing and display included.</summary>
    [Fact]
    public async Task While_a_cell_runs_only_the_cell_thread_allocates_in_the_notebook_process()
    {
        var root = Project(("nbs/alloc.ipynb", Notebook(
            Code("var before = (Total: GC.GetTotalAllocatedBytes(true), Mine: GC.GetAllocatedBytesForCurrentThread());\n" +
                 "var keep = new List<string>();\n" +
                 "for (int i = 0; i < 4000; i++) { keep.Add(new string('x', 2000 + i % 7)); if (i % 10 == 0) Console.WriteLine($\"line {i} {keep.Count}\"); }\n" +
                 "display(keep.Count);\n" +
                 "var others = (GC.GetTotalAllocatedBytes(true) - before.Total) - (GC.GetAllocatedBytesForCurrentThread() - before.Mine);\n" +
                 "var mine = GC.GetAllocatedBytesForCurrentThread() - before.Mine;\n" +
                 "Console.WriteLine($\"ALLOC mine={mine} others={others}\");"))));

        var (exit, _, stderr) = await Losslab(root, "run", "nbs");

        Assert.True(exit == 0, stderr);
        var json = File.ReadAllText(Path.Combine(root, "artifacts", "nbs", "alloc.ipynb"));
        var match = System.Text.RegularExpressions.Regex.Match(json, @"ALLOC mine=(\d+) others=(-?\d+)");
        Assert.True(match.Success, json);
        var line = match.Value;
        long Value(string name) => long.Parse(match.Groups[name == "mine" ? 1 : 2].Value);
        Assert.True(Value("mine") > 16_000_000, line);          // 4,000 strings of ≈ 2 KB (UTF-16) and 400 lines of output
        Assert.True(Value("others") < 64 * 1024, line);         // other threads: a few bytes (56 measured), not the output path
    }

    [Fact]
    public async Task A_notebook_that_exits_its_process_fails_alone_with_its_cell_in_flight_marked_and_the_rest_runs()
    {
        var root = Project(
            ("nbs/a-exits.ipynb", Notebook(Code("Console.Write(\"before\");"), Code("Console.Out.Flush();\nEnvironment.Exit(3);"), Code("Console.Write(\"never\");"))),
            ("nbs/b-fine.ipynb", Greeter));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--scale", "smoke");

        Assert.Equal(1, exit);
        Assert.Contains("1 of 2 notebooks failed.", stdout);
        Assert.Contains("Site: ", stdout);   // the summary and the site are written for what finished
        var b = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "b-fine.ipynb"));
        Assert.Equal("smoke:world", Text(b.Cells[^1].Outputs[0]));
        var a = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "a-exits.ipynb"));
        var code = a.Cells.Where(c => c.IsCode).ToList();
        Assert.Equal("before", Text(code[0].Outputs[0]));
        var exited = code[1];
        Assert.Equal("failed", exited.Metadata["papermill"]!["status"]!.GetValue<string>());
        Assert.Contains("exit code 3", Text(exited.Outputs[^1]));
        Assert.Empty(code[2].Outputs);
        // Papermill's marker cells: at the top, and just before the cell in flight.
        Assert.True(a.Cells[0].HasTag(LossLab.Notebooks.Execution.ExecutionRecord.ErrorMarkerTag));
        Assert.True(a.Cells[a.Cells.IndexOf(exited) - 1].HasTag(LossLab.Notebooks.Execution.ExecutionRecord.ErrorMarkerTag));
        Assert.True(a.Metadata["papermill"]!["exception"]!.GetValue<bool>());
        Assert.Contains($"losslab: FAILED nbs/a-exits.ipynb: cell 2 (In [2]), id {exited.Id}: the notebook's process ended with exit code 3", stderr);
    }

    [Fact]
    public async Task A_formatter_registered_by_one_notebook_does_not_reach_the_next_and_a_timed_out_cell_does_not_write_into_it()
    {
        var root = Project(
            ("nbs/a-registers.ipynb", Notebook(Code("Formatter.Register<int>(i => $\"<b>formatted {i}</b>\", \"text/html\");\n42"))),
            ("nbs/b-displays.ipynb", Notebook(Code("42"))),
            ("nbs/c-hangs.ipynb", Notebook(Code("var t = new System.Threading.Thread(() => { System.Threading.Thread.Sleep(2500); Console.Write(\"late\"); }) { IsBackground = false };\nt.Start();\nSystem.Threading.Thread.Sleep(60_000);"))),
            ("nbs/d-after.ipynb", Notebook(Code("Console.Write(\"d\");"))));

        var (exit, _, stderr) = await Losslab(root, "run", "nbs", "--execution-timeout", "1");

        Assert.Equal(1, exit);
        var a = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "a-registers.ipynb"));
        Assert.Equal("<b>formatted 42</b>", Text(a.Cells[0].Outputs[0], "text/html"));
        var b = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "b-displays.ipynb"));
        Assert.Equal("<div class=\"dni-plaintext\"><pre>42</pre></div>" + LossLab.Notebooks.Formatting.InteractiveHtml.Style, Text(b.Cells[0].Outputs[0], "text/html"));   // the default, not a's formatter
        Assert.Equal("42", Text(b.Cells[0].Outputs[0]));
        Assert.Contains("nbs/c-hangs.ipynb", stderr);
        var d = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "d-after.ipynb"));
        Assert.Equal("d", string.Concat(d.Cells[0].Outputs.Select(o => Text(o))));
    }

    [Fact]
    public async Task A_run_that_would_overwrite_its_inputs_a_python_notebook_and_an_overflowing_number_are_refused_by_name()
    {
        const string Python = "{\"cells\": [{\"cell_type\": \"code\", \"id\": \"a\", \"metadata\": {}, \"source\": \"print(1)\", \"outputs\": [], \"execution_count\": null}], " +
                              "\"metadata\": {\"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}";
        var lr = Notebook(Code("double Lr = 0.1;", "parameters"), Code("Console.Write(Lr);"));
        var root = Project(("nbs/lr.ipynb", lr), ("py/py.ipynb", Python));

        var (exitSame, _, errSame) = await Losslab(Path.Combine(root, "nbs"), "run", ".", "--out", ".");
        Assert.Equal(2, exitSame);
        Assert.Contains("would overwrite the input notebook", errSame);
        Assert.Equal(lr, File.ReadAllText(Path.Combine(root, "nbs", "lr.ipynb")));

        var (exitPy, _, errPy) = await Losslab(root, "run", "py");
        Assert.Equal(1, exitPy);
        Assert.Contains("this notebook's kernel is python3 (python); LossLab runs C# (.NET Interactive) notebooks", errPy);

        var (exitBig, _, errBig) = await Losslab(root, "run", "nbs", "-p", "Lr", "1e400");
        Assert.Equal(1, exitBig);
        Assert.Contains("-p Lr: expects a finite double (write inf or nan for non-finite values), got '1e400'", errBig);
        var (exitInf, _, _) = await Losslab(root, "run", "nbs", "-p", "Lr", "inf");
        Assert.Equal(0, exitInf);
        Assert.Equal("Infinity", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "lr.ipynb")).Cells[^1].Outputs[0]));
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
    public async Task Params_lists_every_notebook_of_the_suite_array_types_included()
    {
        var folder = Path.Combine(RepositoryNotebooksTests.RepositoryRoot(), "notebooks");
        foreach (var notebook in Directory.GetFiles(folder, "*.ipynb", SearchOption.AllDirectories).Order())
        {
            var (exit, stdout, stderr) = await Losslab(folder, "params", notebook);
            Assert.True(exit == 0, $"{notebook}: exit {exit}\n{stderr}");
            Assert.Matches(@"Scale\s*│\s*string", stdout);
        }
        var (_, one, _) = await Losslab(Scratch(), "params", Path.Combine(folder, "scaling-laws", "nb3.1-kaplan-chinchilla-markov.ipynb"));
        Assert.Contains("int[]", one);
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

    /// <summary>The rule for the scale: <c>-f</c>/<c>-y</c> files first, then <c>--scale</c>, then <c>-p</c> (the last one
    /// given wins, as papermill applies parameters in order); whatever the source, a scale that is not smoke, default or
    /// paper stops the notebook before its first cell, naming the value.</summary>
    [Fact]
    public async Task A_mistyped_scale_is_refused_before_any_cell_and_p_overrides_the_scale_option()
    {
        var root = Project(("g.ipynb", Greeter), ("typo.ipynb", Greeter.Replace("default", "defualt")));

        var (exit, _, stderr) = await Losslab(root, "run", "g.ipynb", "-p", "Scale", "smok");
        Assert.Equal(1, exit);
        Assert.Contains("Scale = \"smok\": the scale must be smoke, default or paper", stderr);

        (exit, _, stderr) = await Losslab(root, "run", "typo.ipynb");
        Assert.Equal(1, exit);
        Assert.Contains("Scale = \"defualt\"", stderr);

        (exit, _, stderr) = await Losslab(root, "run", "g.ipynb", "--scale", "smoke", "-p", "Scale", "paper");
        Assert.True(exit == 0, stderr);
        Assert.Equal("paper:world", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "g.ipynb")).Cells[^1].Outputs[0]));
    }

    [Fact]
    public async Task Base64_yaml_parameters_come_after_inline_yaml_and_before_p_and_bad_base64_is_refused()
    {
        var root = Project(("nbs/greet.ipynb", Greeter));
        string B64(string yaml) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(yaml));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-y", "Name: from-y", "-b", B64("Name: from-b\nScale: smoke"));
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("smoke:from-b", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "greet.ipynb")).Cells[^1].Outputs[0]));

        (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "-b", B64("Name: from-b"), "-p", "Name", "from-p", "--scale", "smoke");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("smoke:from-p", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "greet.ipynb")).Cells[^1].Outputs[0]));

        (exit, _, stderr) = await Losslab(root, "run", "nbs", "-b", "not base64!");
        Assert.Equal(2, exit);
        Assert.Contains("losslab: -b not base64!: not base64-encoded UTF-8 YAML", stderr);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stdout_and_stderr_files_receive_the_cells_streams_of_every_notebook(bool inProcess)
    {
        var root = Project(
            ("nbs/a.ipynb", Notebook(Code("Console.WriteLine(\"a out é\");\nConsole.Error.WriteLine(\"a err\");"))),
            ("nbs/b.ipynb", Notebook(Code("Console.Write(\"b out\");"))));
        // One notebook at a time, so that the files hold the streams in notebook order (notebooks run together interleave).
        string[] args = ["run", "nbs", "--jobs", "1", "--stdout-file", "logs/out.txt", "--stderr-file", "logs/err.txt"];

        var (exit, stdout, stderr) = await Losslab(root, inProcess ? [.. args, "--in-process"] : args);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("a out é\nb out", File.ReadAllText(Path.Combine(root, "logs", "out.txt")));
        Assert.Equal("a err\n", File.ReadAllText(Path.Combine(root, "logs", "err.txt")));
        Assert.DoesNotContain("a out", stderr);   // without --log-output nothing is echoed
        Assert.Equal("a out é\n", Text(IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "a.ipynb")).Cells[0].Outputs[0]));
    }

    [Fact]
    public async Task Prepare_only_injects_the_parameters_and_runs_nothing()
    {
        var root = Project(("nbs/greet.ipynb", Notebook(Code("string Scale = \"default\";\nstring Name = \"world\";", "parameters"),
            Code("System.IO.File.WriteAllText(\"ran\", \"\");\nConsole.Write(Name);"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--prepare-only", "-p", "Name", "prepared");

        Assert.True(exit == 0, stderr + stdout);
        Assert.False(File.Exists(Path.Combine(root, "nbs", "ran")));
        var nb = IpynbFormat.Read(Path.Combine(root, "artifacts", "nbs", "greet.ipynb"));
        var injected = Assert.Single(nb.Cells, c => c.HasTag(LossLab.Notebooks.Execution.ParameterInjector.InjectedTag));
        Assert.Contains("Name = \"prepared\"", injected.Source);
        Assert.All(nb.Cells.Where(c => c.IsCode), c => Assert.Empty(c.Outputs));
        Assert.All(nb.Cells.Where(c => c.IsCode), c => Assert.Null(c.ExecutionCount));
        Assert.Equal("prepared", nb.Metadata["papermill"]!["parameters"]!["Name"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(root, "artifacts", "site")));
    }
}
