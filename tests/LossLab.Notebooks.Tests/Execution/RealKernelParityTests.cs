using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossLab.Notebooks.Execution;
using Xunit.Abstractions;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>
/// Every notebook under notebooks/ runs unchanged in the real .NET Interactive kernel (the <c>Microsoft.dotnet-interactive</c>
/// tool that VS Code's Polyglot and Jupyter extensions use), driven by Jupyter's nbclient as papermill drives it, at smoke
/// scale: no cell error, as many charts as LossLab's engine draws, and the same claims (ids and verdicts, in order) as the
/// engine records at the same scale. Opt-in (<c>LOSSLAB_REAL_KERNEL=1</c>: it takes minutes) and skipped, with the reason,
/// where the tool, nbclient or the kernelspec is missing. Install: see environment.md, "Interactive use".
/// </summary>
[Collection("Engine")]
public class RealKernelParityTests(ITestOutputHelper log)
{
    /// <summary>The variable that turns the test on.</summary>
    public const string OptInVariable = "LOSSLAB_REAL_KERNEL";

    /// <summary>Runs each notebook given after the output folder through nbclient with the .net-csharp kernel, its
    /// parameters cell set to Scale = "smoke", the notebook's own folder as working directory; writes the executed copies
    /// and summary.json (notebook, output, seconds, error) into the output folder. Each kernel's output goes to a log beside
    /// its copy; when a notebook fails, its error names the cell that was running and carries the kernel's last output and,
    /// for a kernel that died, the runtime's crash report (signal or unhandled exception, the crashed thread's frames).</summary>
    const string Driver = """
        import glob, json, os, re, sys, time
        import nbformat
        from nbclient import NotebookClient


        # The runtime's crash report (DOTNET_EnableCrashReport) of a kernel that died: the signal or the unhandled
        # exception, and the crashed thread's top frames.
        def crash_summary(dump):
            paths = glob.glob(dump + '*crashreport.json')
            if not paths:
                return None
            try:
                with open(paths[0]) as f:
                    report = json.load(f)
                payload, parameters = report.get('payload', {}), report.get('parameters', {})
                lines = ['crash report: ' + ', '.join('%s=%s' % kv for kv in parameters.items())]
                for thread in payload.get('threads', []):
                    if str(thread.get('crashed')).lower() == 'true':
                        if thread.get('managed_exception_type'):
                            lines.append('unhandled %s on thread %s' % (thread['managed_exception_type'], thread.get('native_thread_id')))
                        frames = ['  at %s (%s)' % (frame.get('method_name') or frame.get('unmanaged_name') or '?', os.path.basename(frame.get('filename') or frame.get('native_module') or ''))
                                  for frame in thread.get('stack_frames', [])[:40]]
                        lines += [frame for k, frame in enumerate(frames) if k == 0 or frame != frames[k - 1]]
                return '\n'.join(lines)
            except Exception as e:
                return 'crash report %s unreadable: %s' % (paths[0], e)


        out = sys.argv[1]
        os.makedirs(out, exist_ok=True)
        summary = []
        for path in sys.argv[2:]:
            nb = nbformat.read(path, 4)
            for cell in nb.cells:
                if cell.cell_type == 'code' and 'parameters' in cell.metadata.get('tags', []):
                    cell.source = re.sub(r'(\bScale\s*=\s*)"[^"]*"', r'\1"smoke"', cell.source, count=1)
            target = os.path.join(out, '%03d-%s' % (len(summary), os.path.basename(path)))
            # A kernel that dies leaves its own output and the runtime's crash report (signal, exception, stack) beside the copy.
            os.environ.update(DOTNET_DbgEnableMiniDump='1', DOTNET_DbgMiniDumpType='1', DOTNET_EnableCrashReport='1', DOTNET_DbgMiniDumpName=os.path.abspath(target) + '.dump')
            running = {}
            start, error = time.time(), None
            with open(target + '.kernel.log', 'wb') as log:
                try:
                    NotebookClient(nb, kernel_name='.net-csharp', timeout=900, startup_timeout=240,
                                   resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}},
                                   on_cell_execute=lambda cell, cell_index, **_: running.update(index=cell_index, source=cell.source)).execute(stdout=log, stderr=log)
                except Exception as e:
                    error = (type(e).__name__ + ': ' + str(e))[-4000:]
            if error is not None:
                if 'index' in running:
                    error += '\nwhile running cell %d: %s' % (running['index'], running['source'].strip().splitlines()[0][:200] if running['source'].strip() else '')
                crash = crash_summary(target + '.dump')
                if crash:
                    error += '\n' + crash
                with open(target + '.kernel.log', errors='replace') as log:
                    error += '\n--- the kernel\'s output (tail) ---\n' + log.read()[-3000:]
            nbformat.write(nb, target)
            summary.append({'notebook': path, 'output': target, 'seconds': round(time.time() - start, 1), 'error': error})
            print('%s %.1f s %s' % ('ok' if error is None else 'FAILED', time.time() - start, path), flush=True)
        with open(os.path.join(out, 'summary.json'), 'w') as f:
            json.dump(summary, f, indent=1)
        """;

    [SkippableFact]
    public async Task Every_notebook_runs_in_the_real_kernel_at_smoke_scale_with_the_engines_charts_and_claim_verdicts()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(OptInVariable) == "1",
            $"Opt-in: set {OptInVariable}=1 to run every notebook in the real .NET Interactive kernel (several minutes).");
        var tool = FindTool();
        Skip.If(tool is null, "The dotnet-interactive tool is not installed (dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001).");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var probe = await Run(python, ["-c", "import nbclient, nbformat; from jupyter_client.kernelspec import KernelSpecManager as M; M().get_kernel_spec('.net-csharp')"], null, TimeSpan.FromMinutes(1));
        Skip.If(probe.Code != 0, "Jupyter's nbclient or the .net-csharp kernelspec is missing (apt-get install python3-nbclient python3-jupyter-client jupyter-core; " +
                                 $"dotnet-interactive jupyter install): {probe.Output.Trim()}");

        var root = RepositoryNotebooksTests.RepositoryRoot();
        // The setup cells #r the Release output of lib/LossLab (with its dependencies and patched natives).
        var build = await Run("dotnet", ["build", Path.Combine(root, "lib", "LossLab", "LossLab.csproj"), "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly"],
            root, TimeSpan.FromMinutes(10));
        Assert.True(build.Code == 0, "dotnet build lib/LossLab -c Release failed:\n" + build.Output);

        var folder = Path.Combine(root, "notebooks");
        var notebooks = NotebookDiscovery.Find([folder]).Where(p => p.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(notebooks);
        var scratch = NotebookHarness.Scratch();
        var driver = Path.Combine(scratch, "run_real_kernel.py");
        await File.WriteAllTextAsync(driver, Driver);
        var kernelOut = Path.Combine(scratch, "kernel");
        var watch = Stopwatch.StartNew();
        var kernel = await Run(python, [driver, kernelOut, .. notebooks], root, TimeSpan.FromMinutes(15 * notebooks.Count),
            ("PATH", Path.GetDirectoryName(tool)! + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH")));
        log.WriteLine($"real kernel: {notebooks.Count} notebooks in {watch.Elapsed.TotalSeconds:0} s (exit {kernel.Code})");
        var summaryPath = Path.Combine(kernelOut, "summary.json");
        Assert.True(File.Exists(summaryPath), "the nbclient driver wrote no summary:\n" + Tail(kernel.Output));
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryPath))!.AsArray();

        var failures = new List<string>();
        foreach (var entry in summary)
        {
            var notebook = (string)entry!["notebook"]!;
            var name = Path.GetRelativePath(folder, notebook);
            log.WriteLine($"{name}: real kernel {(double)entry["seconds"]!:0.0} s");
            if (entry["error"]?.GetValue<string>() is { } error) { failures.Add($"{name}: the real kernel stopped on an error:\n{error}"); continue; }
            var real = JsonNode.Parse(await File.ReadAllTextAsync((string)entry["output"]!))!;
            var cellErrors = Outputs(real).Where(o => (string?)o["output_type"] == "error").Select(o => $"{o["ename"]}: {o["evalue"]}").ToList();
            if (cellErrors.Count > 0) { failures.Add($"{name}: error outputs in the real kernel: {string.Join("; ", cellErrors)}"); continue; }

            var engineOutput = Path.Combine(scratch, "engine", name);
            var result = await NotebookRunner.RunAsync(new RunOptions { InputPath = notebook, OutputPath = engineOutput, Scale = "smoke" });
            if (!result.Succeeded) { failures.Add($"{name}: LossLab's engine failed: {result.Failure!.Describe()}"); continue; }
            var engine = JsonNode.Parse(await File.ReadAllTextAsync(engineOutput))!;

            var engineClaims = EngineClaims(engine);
            var realClaims = KernelClaims(real);
            if (engineClaims.Count == 0) failures.Add($"{name}: the engine recorded no claims");
            if (!engineClaims.SequenceEqual(realClaims))
                failures.Add($"{name}: claims differ.\n  engine: {Show(engineClaims)}\n  kernel: {Show(realClaims)}");
            if (engineClaims.FirstOrDefault(c => c.Verdict != "not-run") is { Id: not null } decided)
                failures.Add($"{name}: claim {decided.Id} was decided ({decided.Verdict}) at smoke scale");
            int engineCharts = Html(engine).Count(h => h.Contains("losslab-plotly", StringComparison.Ordinal));
            int realCharts = Html(real).Count(h => h.Contains("Plotly.newPlot", StringComparison.Ordinal));
            if (engineCharts != realCharts) failures.Add($"{name}: the engine drew {engineCharts} charts, the real kernel {realCharts}");
            log.WriteLine($"  {engineClaims.Count} claims, {realCharts} charts");
        }
        Assert.Equal(notebooks.Count, summary.Count);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures) + "\n--- driver output (tail) ---\n" + Tail(kernel.Output));
    }

    /// <summary>The dotnet-interactive executable on PATH or in the default global-tools folder, or null.</summary>
    static string? FindTool()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return dirs.Select(d => Path.Combine(d, "dotnet-interactive")).FirstOrDefault(File.Exists);
    }

    static IEnumerable<JsonNode> Outputs(JsonNode notebook) =>
        notebook["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!);

    static IEnumerable<string> Html(JsonNode notebook) =>
        Outputs(notebook).Select(o => o["data"]?["text/html"]).Where(h => h is not null)
            .Select(h => h is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : (string)h!);

    /// <summary>(id, verdict) of each claim the engine recorded in its outputs' metadata (losslab.claims).</summary>
    static List<(string Id, string Verdict)> EngineClaims(JsonNode notebook) =>
        Outputs(notebook).SelectMany(o => o["metadata"]?["losslab"]?["claims"]?.AsArray() ?? [])
            .Select(c => ((string)c!["id"]!, (string)c["verdict"]!)).ToList();

    /// <summary>(id, verdict) of each row of the claims tables the kernel displayed (LossLab.Interactive.KernelFormatters).</summary>
    static List<(string Id, string Verdict)> KernelClaims(JsonNode notebook) =>
        Html(notebook).SelectMany(h => Regex.Matches(h, "<tr id=\"claim-([^\"]*)\" data-verdict=\"([^\"]*)\">"))
            .Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), m.Groups[2].Value)).ToList();

    static string Show(List<(string Id, string Verdict)> claims) => string.Join(", ", claims.Select(c => $"{c.Id}={c.Verdict}"));

    static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    static async Task<(int Code, string Output)> Run(string file, IEnumerable<string> args, string? workingDirectory, TimeSpan timeout,
        params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment) info.Environment[name] = value;
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { return (-1, $"{file}: {e.Message}"); }
        using (process)
        {
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cts = new CancellationTokenSource(timeout);
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-2, $"{file} timed out after {timeout}:\n{output}");
            }
            process.WaitForExit();
            lock (output) return (process.ExitCode, output.ToString());
        }
    }
}
