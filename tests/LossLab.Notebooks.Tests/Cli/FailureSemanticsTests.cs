using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>
/// The reliability matrix of issue 20 ("a batch run never loses work"), one test per failure a batch run must survive, each
/// through <c>losslab run</c> as users run it: the exit code, the execution record (cell and notebook
/// <c>metadata.papermill</c>, error outputs) and that results written before the failure are still on disk. The README's
/// "Failure semantics" section states the contract these tests check. Rows already covered elsewhere:
/// <c>LosslabCommandTests.A_notebook_that_exits_its_process_fails_alone_…</c> (Environment.Exit),
/// <c>…A_run_that_would_overwrite_its_inputs_a_python_notebook_and_an_overflowing_number_…</c> (output = input, python3,
/// <c>-p Lr 1e400</c>), <c>…Params_lists_every_notebook_of_the_suite_array_types_included</c> (<c>losslab params</c>).
/// </summary>
[Collection("Engine")]
public class FailureSemanticsTests
{
    static string Before => "Console.Write(\"before\");";

    static NotebookDocument Executed(string root, params string[] path) => IpynbFormat.Read(Path.Combine([root, "artifacts", .. path]));

    static string Status(NotebookCell cell) => cell.Metadata["papermill"]!["status"]!.GetValue<string>();

    static bool NotebookException(NotebookDocument nb) => nb.Metadata["papermill"]!["exception"]?.GetValue<bool>() ?? false;

    static NotebookCell CodeCell(NotebookDocument nb, int k) => nb.Cells.Where(c => c.IsCode).ElementAt(k);

    [Fact]
    public async Task A_stream_past_the_output_limit_keeps_head_and_tail_in_the_notebook_and_the_whole_text_in_a_linked_side_file()
    {
        // 3,000 numbered lines (72,000 characters) against a limit of 2,000 characters.
        var root = Project(("nbs/loud.ipynb", Notebook(
            Code(Before),
            Code("for (int i = 0; i < 3000; i++) Console.WriteLine($\"line {i:0000} of the stream\");\nConsole.Error.Write(\"err\");"),
            Code("Console.Write(\"after\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--output-limit", "2000");

        Assert.True(exit == 0, stderr + stdout);
        var nb = Executed(root, "nbs", "loud.ipynb");
        Assert.Equal("before", Text(CodeCell(nb, 0).Outputs[0]));
        Assert.Equal("after", Text(CodeCell(nb, 2).Outputs[0]));
        var loud = CodeCell(nb, 1);
        Assert.Equal("completed", Status(loud));
        var kept = Text(loud.Outputs[0]);
        Assert.StartsWith("line 0000 of the stream\n", kept, StringComparison.Ordinal);
        Assert.EndsWith("line 2999 of the stream\n", kept, StringComparison.Ordinal);
        Assert.Contains("characters of stdout omitted here (72,000 characters, 3,000 lines in all); the whole stream is in loud.cell2.stdout.txt, beside this notebook]", kept);
        Assert.True(kept.Length < 2_300, $"{kept.Length} characters kept");
        Assert.Equal("err", Text(loud.Outputs[1]));   // stderr, short, whole and in order
        var link = (JsonObject)loud.Metadata["losslab"]!["streams"]![0]!;
        Assert.Equal("loud.cell2.stdout.txt", link["file"]!.GetValue<string>());
        Assert.Equal(72_000, link["characters"]!.GetValue<long>());
        var whole = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i:0000} of the stream\n"));
        Assert.Equal(whole, File.ReadAllText(Path.Combine(root, "artifacts", "nbs", "loud.cell2.stdout.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "artifacts", "nbs"), "*.tmp"));
        // The site links the side file and carries a copy of it beside the page.
        var page = File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "loud.html"));
        Assert.Contains("<a href=\"loud.cell2.stdout.txt\">whole stdout (72,000 characters)", page);
        Assert.Equal(whole, File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "loud.cell2.stdout.txt")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "signal")]
    static extern IntPtr SetSignal(int signal, IntPtr handler);

    /// <summary>Starts <c>losslab</c> without waiting. SIGINT is set to its default first: a shell that starts the tests in
    /// the background ignores it, and an ignored signal stays ignored in every process started from there.</summary>
    static Process Start(string root, params string[] args)
    {
        SetSignal(2, IntPtr.Zero);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LossLab.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>A cell that writes its process id to <c>pid</c> in the notebook's folder, then runs until stopped.</summary>
    const string SpinForever = "System.IO.File.WriteAllText(\"pid\", Environment.ProcessId.ToString());\nwhile (true) { }";

    static async Task<int> WaitForPid(string folder)
    {
        var file = Path.Combine(folder, "pid");
        for (int i = 0; i < 600 && !File.Exists(file); i++) await Task.Delay(100);
        await Task.Delay(300);
        return int.Parse(File.ReadAllText(file), System.Globalization.CultureInfo.InvariantCulture);
    }

    static bool Alive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');

    static void Signal(int pid, string name) => Process.Start("kill", ["-s", name, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    [Theory]
    [InlineData("INT", 130, "SIGINT", false)]
    [InlineData("TERM", 143, "SIGTERM", false)]
    [InlineData("INT", 130, "SIGINT", true)]
    [InlineData("TERM", 143, "SIGTERM", true)]
    public async Task A_first_signal_stops_the_cell_in_flight_marks_it_interrupted_and_writes_summary_and_site_for_what_finished(string signal, int code, string name, bool inProcess)
    {
        var root = Project(
            ("nbs/a-first.ipynb", Notebook(Code("Console.Write(\"a\");"))),
            ("nbs/b-spins.ipynb", Notebook(Code(Before), Code(SpinForever), Code("Console.Write(\"never\");"))),
            ("nbs/c-last.ipynb", Notebook(Code("Console.Write(\"c\");"))));

        using var run = inProcess ? Start(root, "run", "nbs", "--in-process") : Start(root, "run", "nbs", "--jobs", "1");   // one at a time: c-last waits behind b-spins
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        int child = await WaitForPid(Path.Combine(root, "nbs"));
        Signal(run.Id, signal);
        await run.WaitForExitAsync();

        Assert.True(code == run.ExitCode, await stderr + await stdout);
        Assert.False(Alive(child), "the notebook's process still runs");
        Assert.Equal("a", Text(CodeCell(Executed(root, "nbs", "a-first.ipynb"), 0).Outputs[0]));
        var b = Executed(root, "nbs", "b-spins.ipynb");
        Assert.Equal("before", Text(CodeCell(b, 0).Outputs[0]));
        Assert.Equal("completed", Status(CodeCell(b, 0)));
        var spun = CodeCell(b, 1);
        Assert.Equal("failed", Status(spun));
        Assert.Equal("KeyboardInterrupt", spun.Outputs[^1]!["ename"]!.GetValue<string>());
        Assert.Contains($"interrupted by {name}", Text(spun.Outputs[^1]));
        // Papermill's marker cells: one at the top naming the cell, one just before it.
        Assert.True(b.Cells[0].HasTag(ExecutionRecord.ErrorMarkerTag));
        Assert.Contains("An Exception was encountered at '<a href=\"#papermill-error-cell\">In [2]</a>'.", b.Cells[0].Source);
        Assert.True(b.Cells[b.Cells.IndexOf(spun) - 1].HasTag(ExecutionRecord.ErrorMarkerTag));
        Assert.Equal(2, b.Cells.Count(c => c.HasTag(ExecutionRecord.ErrorMarkerTag)));
        Assert.True(NotebookException(b));
        Assert.NotNull(b.Metadata["papermill"]!["end_time"]);
        Assert.Empty(CodeCell(b, 2).Outputs);
        Assert.False(File.Exists(Path.Combine(root, "artifacts", "nbs", "c-last.ipynb")));
        var err = await stderr;
        Assert.Contains($"losslab: FAILED nbs/c-last.ipynb: not run: the run was stopped by {name} before this notebook started", err);
        Assert.Contains($"losslab: FAILED nbs/b-spins.ipynb: cell 2 (In [2]), id {spun.Id}: interrupted by {name}", err);
        var output = await stdout;
        Assert.Contains("2 of 3 notebooks failed.", output);
        Assert.Contains("Site: ", output);
        Assert.True(File.Exists(Path.Combine(root, "artifacts", "site", "nbs", "a-first.html")));
    }

    [Fact]
    public async Task A_cell_past_the_execution_timeout_is_recorded_and_its_process_is_gone_before_the_next_notebook()
    {
        var root = Project(
            ("nbs/a-spins.ipynb", Notebook(Code(Before), Code(SpinForever))),
            ("nbs/b-after.ipynb", Notebook(Code("Console.Write(\"b\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--execution-timeout", "2");

        Assert.True(exit == 1, stderr + stdout);
        int child = int.Parse(File.ReadAllText(Path.Combine(root, "nbs", "pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Alive(child), "the timed-out cell's process still runs");
        var a = Executed(root, "nbs", "a-spins.ipynb");
        Assert.Equal("before", Text(CodeCell(a, 0).Outputs[0]));
        Assert.Equal("failed", Status(CodeCell(a, 1)));
        Assert.Equal("TimeoutError", CodeCell(a, 1).Outputs[^1]!["ename"]!.GetValue<string>());
        Assert.True(NotebookException(a));
        Assert.Equal("b", Text(CodeCell(Executed(root, "nbs", "b-after.ipynb"), 0).Outputs[0]));
        Assert.Contains("1 of 2 notebooks failed.", stdout);
    }

    [Theory]
    [InlineData("int Down(int n) => Down(n + 1) + 1;\nDown(0);")]
    [InlineData("new System.Threading.Thread(() => throw new InvalidOperationException(\"on another thread\")).Start();\nSystem.Threading.Thread.Sleep(30_000);")]
    public async Task A_stack_overflow_or_an_exception_on_another_thread_fails_that_notebook_only_with_a_record(string crash)
    {
        var root = Project(
            ("nbs/a-crashes.ipynb", Notebook(Code(Before), Code(crash), Code("Console.Write(\"never\");"))),
            ("nbs/b-after.ipynb", Notebook(Code("Console.Write(\"b\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs");

        Assert.True(exit == 1, stderr + stdout);
        var a = Executed(root, "nbs", "a-crashes.ipynb");
        Assert.Equal("before", Text(CodeCell(a, 0).Outputs[0]));
        var crashed = CodeCell(a, 1);
        Assert.Equal("failed", Status(crashed));
        Assert.Equal("ProcessExited", crashed.Outputs[^1]!["ename"]!.GetValue<string>());
        Assert.Contains("exit code 134", Text(crashed.Outputs[^1]));
        Assert.True(NotebookException(a));
        Assert.Empty(CodeCell(a, 2).Outputs);
        Assert.Equal("b", Text(CodeCell(Executed(root, "nbs", "b-after.ipynb"), 0).Outputs[0]));
        Assert.Contains($"losslab: FAILED nbs/a-crashes.ipynb: cell 2 (In [2]), id {crashed.Id}: the notebook's process aborted (exit code 134", stderr);
        Assert.Contains("1 of 2 notebooks failed.", stdout);
    }

    [Fact]
    public async Task A_cell_allocating_past_the_memory_limit_fails_that_notebook_only()
    {
        var root = Project(
            ("nbs/a-hungry.ipynb", Notebook(Code(Before), Code("var big = new byte[1_500_000_000];\nbig[^1] = 1;"))),
            ("nbs/b-after.ipynb", Notebook(Code("Console.Write(\"b\");"))));

        var (refused, _, refusal) = await Losslab(root, "run", "nbs", "--memory-limit", "lots");
        Assert.Equal(2, refused);
        Assert.Contains("--memory-limit lots: expected a size of at least 64M, e.g. 1500M or 2G.", refusal);

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--memory-limit", "1G");

        Assert.True(exit == 1, stderr + stdout);
        var a = Executed(root, "nbs", "a-hungry.ipynb");
        Assert.Equal("before", Text(CodeCell(a, 0).Outputs[0]));
        Assert.Equal("failed", Status(CodeCell(a, 1)));
        Assert.Equal("System.OutOfMemoryException", CodeCell(a, 1).Outputs[^1]!["ename"]!.GetValue<string>());
        Assert.True(NotebookException(a));
        Assert.Equal("b", Text(CodeCell(Executed(root, "nbs", "b-after.ipynb"), 0).Outputs[0]));
        Assert.Contains("1 of 2 notebooks failed.", stdout);
    }

    /// <summary>Runs <c>losslab</c> as <see cref="LosslabCommandTests.Losslab"/> does, sampling the peak resident memory of
    /// its own process (the engine, not the notebooks' processes) while it runs.</summary>
    static async Task<(int Exit, string Out, long Peak)> LosslabPeak(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(LosslabStart(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException) { break; }
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr, peak);
    }

    [Fact]
    public async Task Twelve_notebooks_in_one_run_leave_the_engine_no_larger_than_one_does()
    {
        // Each notebook holds 200 MB; were they run in the engine's process and anything of them kept, twelve would add up
        // (as they did before notebooks had processes of their own: 568 MB for one copy of NB1.5, 1.45 GB for twelve).
        string Hungry() => Notebook(Code("var held = new byte[200_000_000];\nfor (int i = 0; i < held.Length; i += 4096) held[i] = 1;\nConsole.Write(held.Length);"));
        var one = Project(("nbs/copy-01.ipynb", Hungry()));
        var twelve = Project([.. Enumerable.Range(1, 12).Select(i => ($"nbs/copy-{i:00}.ipynb", Hungry()))]);

        var (exitOne, outOne, peakOne) = await LosslabPeak(one, "run", "nbs");
        var (exitTwelve, outTwelve, peakTwelve) = await LosslabPeak(twelve, "run", "nbs");

        Assert.True(exitOne == 0, outOne);
        Assert.True(exitTwelve == 0, outTwelve);
        Assert.Contains("12 notebooks ran, none failed.", outTwelve);
        Assert.Equal("200000000", Text(CodeCell(Executed(twelve, "nbs", "copy-12.ipynb"), 0).Outputs[0]));
        Assert.True(peakOne is > 0 and < 200_000_000, $"the engine's own peak with one notebook: {peakOne / 1e6:F0} MB");
        Assert.True(peakTwelve < peakOne + 64_000_000, $"the engine's peak: {peakOne / 1e6:F0} MB for one notebook, {peakTwelve / 1e6:F0} MB for twelve");
    }

    [Fact]
    public async Task Two_concurrent_runs_into_one_output_folder_both_leave_whole_notebooks()
    {
        JsonObject[] Cells() => [.. Enumerable.Range(0, 8).Select(i => Code($"Console.Write(new string('x', 200_000) + \"{i}\");"))];
        var root = Project(("nbs/one.ipynb", Notebook(Cells())), ("nbs/two.ipynb", Notebook(Cells())));

        var first = Losslab(root, "run", "nbs", "--out", "shared");
        var second = Losslab(root, "run", "nbs", "--out", "shared");
        var results = await Task.WhenAll(first, second);

        foreach (var (exit, stdout, stderr) in results) Assert.True(exit == 0, stderr + stdout);
        foreach (var name in new[] { "one.ipynb", "two.ipynb" })
        {
            var nb = IpynbFormat.Read(Path.Combine(root, "shared", "nbs", name));
            Assert.False(NotebookException(nb));
            for (int i = 0; i < 8; i++) Assert.EndsWith(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(CodeCell(nb, i).Outputs[0]), StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "shared"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_50_MB_notebook_opens_and_runs()
    {
        // A notebook of 50 MB: stale stream outputs of a former run (cleared by this one) and a long markdown cell.
        var stale = Code("Console.Write(\"fresh\");");
        ((JsonArray)stale["outputs"]!).Add(CellOutputs.Stream("stdout", string.Concat(Enumerable.Repeat(new string('s', 999) + "\n", 40_000))));
        var root = Project(("nbs/huge.ipynb", Notebook(Markdown("# Huge\n\n" + new string('m', 10_000_000)), stale)));
        Assert.True(new FileInfo(Path.Combine(root, "nbs", "huge.ipynb")).Length > 50_000_000);

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs");

        Assert.True(exit == 0, stderr + stdout);
        var nb = Executed(root, "nbs", "huge.ipynb");
        Assert.Equal("fresh", Text(CodeCell(nb, 0).Outputs.Single()));
        Assert.Equal("completed", Status(CodeCell(nb, 0)));
        Assert.Contains("1 notebook ran, none failed.", stdout);
    }

    [Fact]
    public async Task After_kill_9_the_partial_notebook_is_whole_with_earlier_outputs_and_a_rerun_completes()
    {
        var root = Project(("nbs/nb.ipynb", Notebook(Code(Before), Code("if (!System.IO.File.Exists(\"pid\")) { " + SpinForever + " }"), Code("Console.Write(\"after\");"))));

        using (var run = Start(root, "run", "nbs"))
        {
            int child = await WaitForPid(Path.Combine(root, "nbs"));
            // Both at once, the notebook's process first: neither can record anything after the other died.
            Process.Start("kill", ["-s", "KILL", child.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await run.WaitForExitAsync();
            Assert.Equal(137, run.ExitCode);
        }
        var partial = Executed(root, "nbs", "nb.ipynb");
        Assert.Equal("before", Text(CodeCell(partial, 0).Outputs[0]));
        Assert.Equal("completed", Status(CodeCell(partial, 0)));
        Assert.Equal("running", Status(CodeCell(partial, 1)));
        Assert.Empty(CodeCell(partial, 2).Outputs);

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs");

        Assert.True(exit == 0, stderr + stdout);
        var rerun = Executed(root, "nbs", "nb.ipynb");
        Assert.Equal("before", Text(CodeCell(rerun, 0).Outputs[0]));
        Assert.Equal("after", Text(CodeCell(rerun, 2).Outputs[0]));
        Assert.False(NotebookException(rerun));
    }

    [Theory]
    [InlineData("0.2", true)]
    [InlineData("0", false)]
    public async Task A_long_cell_is_saved_with_its_outputs_so_far_every_autosave_interval_so_kill_9_keeps_them(string every, bool autosaved)
    {
        var root = Project(("nbs/nb.ipynb", Notebook(Code(Before), Code("Console.WriteLine(\"printed while running\");\n" + SpinForever), Code("Console.Write(\"never\");"))));

        using (var run = Start(root, "run", "nbs", "--autosave-cell-every", every))
        {
            int child = await WaitForPid(Path.Combine(root, "nbs"));
            // With autosave, wait for the save that shows the text (at most 10 s); without, as long as two autosaves would take.
            for (int i = 0; i < (autosaved ? 100 : 4) && !CodeCell(Executed(root, "nbs", "nb.ipynb"), 1).Outputs.Any(); i++) await Task.Delay(100);
            Process.Start("kill", ["-s", "KILL", child.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await run.WaitForExitAsync();
            Assert.Equal(137, run.ExitCode);
        }
        var partial = Executed(root, "nbs", "nb.ipynb");
        Assert.Equal("before", Text(CodeCell(partial, 0).Outputs[0]));
        var spun = CodeCell(partial, 1);
        Assert.Equal("running", Status(spun));
        if (autosaved) Assert.Equal("printed while running\n", Text(Assert.Single(spun.Outputs)));
        else Assert.Empty(spun.Outputs);   // saved only between cells
        Assert.Empty(CodeCell(partial, 2).Outputs);
        // Saves mid-cell go to the output path as the run resolved it, not relative to the folder the cell runs in.
        Assert.False(Directory.Exists(Path.Combine(root, "nbs", "artifacts")), "a save went under the notebook's folder");
    }

    [Fact]
    public async Task After_kill_9_of_the_run_its_notebook_process_records_the_cell_in_flight_and_stops()
    {
        var root = Project(("nbs/nb.ipynb", Notebook(Code(Before), Code(SpinForever), Code("Console.Write(\"never\");"))));

        int child;
        using (var run = Start(root, "run", "nbs"))
        {
            child = await WaitForPid(Path.Combine(root, "nbs"));
            Signal(run.Id, "KILL");
            await run.WaitForExitAsync();
            Assert.Equal(137, run.ExitCode);
        }
        for (int i = 0; i < 100 && Alive(child); i++) await Task.Delay(100);

        Assert.False(Alive(child), "the notebook's process outlived the run that started it");
        var partial = Executed(root, "nbs", "nb.ipynb");
        Assert.Equal("before", Text(CodeCell(partial, 0).Outputs[0]));
        Assert.Equal("completed", Status(CodeCell(partial, 0)));
        var spun = CodeCell(partial, 1);
        Assert.Equal("failed", Status(spun));
        Assert.Contains("the losslab run that started this notebook's process ended", Text(spun.Outputs[^1]));
        Assert.True(NotebookException(partial));
        Assert.True(partial.Cells[0].HasTag(ExecutionRecord.ErrorMarkerTag));
        Assert.Empty(CodeCell(partial, 2).Outputs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Log_output_echoes_a_cells_streams_live_and_the_notebook_still_records_them(bool inProcess)
    {
        // The cell prints, then waits until the test has seen that text on losslab's stderr: only a live echo lets it finish.
        const string waits = "Console.WriteLine(\"first line é\");\nConsole.Error.WriteLine(\"to stderr\");\n" +
                             "for (int i = 0; i < 600 && !System.IO.File.Exists(\"go\"); i++) System.Threading.Thread.Sleep(100);\n" +
                             "Console.Write(System.IO.File.Exists(\"go\") ? \"second\" : \"no echo seen\");";
        var root = Project(("nbs/nb.ipynb", Notebook(Code(waits))));

        using var run = inProcess ? Start(root, "run", "nbs", "--log-output", "--in-process") : Start(root, "run", "nbs", "--log-output");
        var stdout = run.StandardOutput.ReadToEndAsync();
        var seen = new System.Text.StringBuilder();
        while (await run.StandardError.ReadLineAsync() is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains("to stderr", StringComparison.Ordinal)) break;
        }
        File.WriteAllText(Path.Combine(root, "nbs", "go"), "");
        seen.Append(await run.StandardError.ReadToEndAsync());
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 0, seen + await stdout);
        Assert.Contains("first line é\n", seen.ToString());
        Assert.Contains("second", seen.ToString());
        var cell = CodeCell(Executed(root, "nbs", "nb.ipynb"), 0);
        Assert.Equal("first line é\n", Text(cell.Outputs[0]));
        Assert.Equal("to stderr\n", Text(cell.Outputs[1]));
        Assert.Equal("second", Text(cell.Outputs[2]));
    }
}
