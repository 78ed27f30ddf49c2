using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;
using LossLab.Notebooks.Kernel;

namespace LossLab.Cli.Commands;

/// <summary>Runs a batch of notebooks, each in a child process of its own (as papermill gives each notebook its own kernel),
/// at most <c>--jobs N</c> at a time (with N &gt; 1, each child's torch uses cores/N threads), then prints the summary; exit
/// code 1 when any notebook failed. A child that exits or crashes mid-notebook fails that notebook only: the cell in
/// flight is marked failed in its autosaved output, and the rest of the batch runs. <c>--in-process</c> runs the batch in
/// this process instead (no isolation: a cell's <c>Environment.Exit</c> or formatter registration reaches the rest).</summary>
public static class BatchRunner
{
    /// <summary>Runs the batch; returns the exit code.</summary>
    public static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Notebooks.Count == 0)
        {
            Console.WriteLine("losslab: no notebooks found; nothing to run.");
            return 0;
        }
        if (!settings.ProgressProtocol)
        {
            var inputs = settings.Notebooks.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
            foreach (var notebook in settings.Notebooks)
            {
                var output = Path.GetFullPath(settings.OutputFor(notebook));
                if (inputs.Contains(output) || File.Exists(Path.ChangeExtension(output, ".ipynb")) && inputs.Contains(Path.ChangeExtension(output, ".ipynb")))
                {
                    Console.Error.WriteLine($"losslab: the executed copy of {RunReporter.Show(notebook)} would overwrite the input notebook " +
                                            $"{RunReporter.Show(output)}; choose an --out folder outside the notebooks. Nothing was run.");
                    return 2;
                }
            }
        }
        if (settings.ProgressProtocol)
        {
            // A notebook's own process: SIGINT is its parent's to handle; the process ends when its notebook is recorded,
            // even if a cell left a foreground thread (or a timed-out cell) running.
            using var ignore = Interruption.IgnoreSigint();
            using var orphan = Interruption.WatchParent(() =>
            {
                // The run that started this process is gone (killed with SIGKILL, say): record the cell in flight as
                // failed and stop, instead of running on unseen.
                var output = settings.OutputFor(settings.Notebooks[0]);
                try { ChildCrash.MarkCellInFlight(output, "the losslab run that started this notebook's process ended; the notebook was stopped"); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                Environment.Exit(137);
            });
            var reporter0 = RunReporter.Create(settings);
            var own = await RunHereAsync(settings, reporter0, cancellationToken);
            int code = own.All(o => o.Succeeded) ? 0 : 1;
            foreach (var o in own.Where(o => !o.Succeeded)) Console.Error.WriteLine($"losslab: FAILED {RunReporter.Show(o.Input)}: {o.Problem}");
            Console.Out.Flush();
            Console.Error.Flush();
            Environment.Exit(code);
        }
        if (settings.OutputFile is null && !settings.PrepareOnly) return await CachedBatch.RunAsync(settings, RunUncachedAsync, cancellationToken);
        return await RunUncachedAsync(settings, cancellationToken);
    }

    /// <summary>Runs every notebook of <paramref name="settings"/> (the execution cache has already chosen them).</summary>
    internal static async Task<int> RunUncachedAsync(RunSettings settings, CancellationToken cancellationToken, IReadOnlyList<NotebookOutcome>? cached = null,
        Action<IReadOnlyList<NotebookOutcome>>? onFinished = null)
    {
        using var interruption = Interruption.Listen();
        OutputSink? sink;
        try { sink = OutputSink.For(settings); }
        catch (IOException e) { Console.Error.WriteLine($"losslab: {e.Message} Nothing was run."); return 2; }
        using var sinkScope = sink;
        var reporter = RunReporter.Create(settings);
        var outcomes = await reporter.RunAsync(() => settings.InProcess
            ? RunHereAsync(settings, reporter, cancellationToken, interruption, sink)
            : RunChildrenAsync(settings, reporter, interruption, sink, cancellationToken));
        onFinished?.Invoke(outcomes);
        if (cached is { Count: > 0 }) outcomes = CachedBatch.Merge(cached, outcomes);
        return Finish(settings, reporter, outcomes, interruption);
    }

    /// <summary>The end of a run: summary, the failures, the site, and the exit code (130/143 after a signal).</summary>
    static int Finish(RunSettings settings, RunReporter reporter, IReadOnlyList<NotebookOutcome> outcomes, Interruption interruption)
    {
        reporter.Summary(outcomes);
        foreach (var o in outcomes.Where(o => !o.Succeeded))
            Console.Error.WriteLine($"losslab: FAILED {RunReporter.Show(o.Input)}: {o.Problem}");
        if (settings.OutputFile is null && !settings.ProgressProtocol && !settings.PrepareOnly && Directory.Exists(settings.OutDir))
        {
            try { RenderCommand.Report(RenderCommand.Render(settings.OutDir)); }
            catch (InvalidDataException e) { Console.Error.WriteLine($"losslab: the site was not rendered: {e.Message}"); }
        }
        if (interruption.Signal is not null)
        {
            Console.Error.WriteLine($"losslab: the run was stopped by {interruption.SignalName}; exit code {interruption.ExitCode}.");
            return interruption.ExitCode;
        }
        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }

    /// <summary>The batch in this process. A signal cannot stop a running cell here (a thread cannot be aborted), so the
    /// first SIGINT/SIGTERM marks the cell in flight as interrupted in its autosaved notebook, records the notebooks not
    /// started, writes the summary and the site for what finished, and exits 130/143.</summary>
    static async Task<IReadOnlyList<NotebookOutcome>> RunHereAsync(RunSettings settings, RunReporter reporter, CancellationToken cancellationToken,
        Interruption? interruption = null, OutputSink? sink = null)
    {
        var outcomes = new List<NotebookOutcome>();
        int count = settings.Notebooks.Count;
        var current = -1;
        var started = Stopwatch.StartNew();
        var directory = Environment.CurrentDirectory;
        using var onSignal = interruption?.Token.Register(() =>
        {
            // The running cell has its notebook's folder as working directory and its own stdout/stderr capture.
            Environment.CurrentDirectory = directory;
            Console.SetOut(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true });
            Console.SetError(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
            List<NotebookOutcome> final;
            lock (outcomes)
            {
                final = [.. outcomes];
                int at = current;
                if (at >= 0 && at < count && final.Count == at)
                {
                    var notebook = settings.Notebooks[at];
                    var output = settings.OutputFor(notebook);
                    var ended = $"interrupted by {interruption.SignalName}: the run was stopped while this cell ran";
                    var cell = ChildCrash.MarkCellInFlight(output, ended, "KeyboardInterrupt");
                    var (ran, code) = CountCells(output);
                    final.Add(new NotebookOutcome(notebook, File.Exists(output) ? output : null, false, ran, code, started.Elapsed, cell is null ? ended : $"{cell}: {ended}"));
                }
                for (int k = final.Count; k < count; k++)
                    final.Add(NotStarted(settings.Notebooks[k], interruption));
            }
            int exit = Finish(settings, reporter, final, interruption);
            Console.Out.Flush();
            Console.Error.Flush();
            Environment.Exit(exit);
        });
        // A notebook's own process forwards its stream text to the parent's sink; a run in this process writes to its own.
        Action<string, string>? echo = settings.ProgressProtocol ? (settings.LogOutput ? ToParent() : null) : (sink is null ? null : sink.Write);
        for (int i = 0; i < count; i++)
        {
            var notebook = settings.Notebooks[i];
            int index = i + 1;
            lock (outcomes) { current = i; started.Restart(); }
            reporter.NotebookStarted(index, count, notebook);
            var stopwatch = Stopwatch.StartNew();
            NotebookOutcome outcome;
            try
            {
                var options = new RunOptions
                {
                    InputPath = RunReporter.Show(notebook),
                    OutputPath = RunReporter.Show(settings.OutputFor(notebook)),
                    Parameters = settings.Overrides(),
                    Scale = settings.Scale,
                    AllowErrors = settings.AllowErrors,
                    StreamLimit = settings.StreamLimit,
                    OnStream = echo,
                    PrepareOnly = settings.PrepareOnly,
                    WorkingDirectory = settings.WorkingDirectory,
                    ReportMode = settings.ReportMode,
                    ExecutionTimeout = settings.ExecutionTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                    AutosaveCellEvery = TimeSpan.FromSeconds(settings.AutosaveCellEverySeconds),
                    Progress = e => { if (!e.Finished && e.Cell > 0) reporter.CellStarted(index, count, notebook, e.Cell, e.Cells, e.Elapsed); },
                };
                var result = await NotebookRunner.RunAsync(options, cancellationToken);
                outcome = new NotebookOutcome(notebook, settings.OutputFor(notebook), result.Succeeded, result.CellsRun, result.CodeCells, result.Duration,
                    result.Failure?.Describe(), result.AllowedErrors);
            }
            catch (Exception e) when (e is NotebookFormatException or ParameterException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                outcome = new NotebookOutcome(notebook, null, false, 0, 0, stopwatch.Elapsed, e.Message);
            }
            reporter.NotebookFinished(index, count, outcome);
            lock (outcomes) outcomes.Add(outcome);
        }
        return outcomes;
    }

    static async Task<IReadOnlyList<NotebookOutcome>> RunChildrenAsync(RunSettings settings, RunReporter reporter, Interruption interruption, OutputSink? sink, CancellationToken cancellationToken)
    {
        int count = settings.Notebooks.Count;
        var threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, Math.Min(settings.Jobs, count)));
        var results = new ConcurrentDictionary<int, NotebookOutcome>();
        using var gate = new SemaphoreSlim(settings.Jobs);
        using var shares = settings.Jobs > 1 && threads < Environment.ProcessorCount ? new WorkerShares(threads, count) : null;
        // Started in StartOrder (SemaphoreSlim releases its waiters first come, first served); numbered by path order.
        var tasks = StartOrder(settings).Select(async i =>
        {
            var notebook = settings.Notebooks[i];
            try { await gate.WaitAsync(interruption.Token); }
            catch (OperationCanceledException)
            {
                results[i] = NotStarted(notebook, interruption);
                return;
            }
            try
            {
                if (interruption.Token.IsCancellationRequested)
                {
                    results[i] = NotStarted(notebook, interruption);
                    return;
                }
                reporter.NotebookStarted(i + 1, count, notebook);
                string? share = shares?.Started(i);
                NotebookOutcome outcome;
                try { outcome = await RunChildAsync(settings, notebook, threads, share, (cell, cells, elapsed) => reporter.CellStarted(i + 1, count, notebook, cell, cells, elapsed), interruption, sink, cancellationToken); }
                finally { shares?.Finished(i); }
                reporter.NotebookFinished(i + 1, count, outcome);
                results[i] = outcome;
            }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(tasks);
        return [.. Enumerable.Range(0, count).Select(i => results[i])];
    }

    /// <summary>The order in which the notebooks of <paramref name="settings"/> start (indexes into its notebooks): longest
    /// first, so that under <c>--jobs N</c> a batch does not end with one long notebook running alone on one core while the
    /// others idle. A notebook's length is the duration of its last run into the same output folder
    /// (<c>metadata.papermill.duration</c> of the executed copy); without one, the seconds its source declares for a run at
    /// default scale (<c>metadata.losslab.expected_seconds</c>, see <see cref="ExpectedSecondsKey"/>), so that a fresh
    /// output folder starts longest first too. Notebooks with neither start first, in path order. Only the order changes:
    /// each notebook runs in its own process, so its numbers do not depend on it.</summary>
    public static IReadOnlyList<int> StartOrder(RunSettings settings)
    {
        var length = settings.Notebooks.Select(n => LastDuration(settings.OutputFor(n)) ?? ExpectedSeconds(n)).ToArray();
        return [.. Enumerable.Range(0, length.Length).OrderByDescending(i => length[i] ?? double.PositiveInfinity)];   // stable
    }

    /// <summary>The key, under a source notebook's <c>metadata.losslab</c>, of the seconds a run of it at default scale takes
    /// (a measured duration, used only to order the notebooks of a run into a fresh output folder).</summary>
    public const string ExpectedSecondsKey = "expected_seconds";

    /// <summary>The duration in seconds recorded in an executed notebook, or null (none there, unreadable, or not recorded).</summary>
    static double? LastDuration(string output) =>
        Seconds(Path.ChangeExtension(output, ".ipynb"), m => m["papermill"]?["duration"]);

    /// <summary>The seconds a source notebook declares for a default-scale run, or null (not an .ipynb, unreadable, or none).</summary>
    static double? ExpectedSeconds(string notebook) =>
        Seconds(notebook, m => m["losslab"]?[ExpectedSecondsKey]);

    static double? Seconds(string path, Func<JsonObject, JsonNode?> field)
    {
        if (!path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return null;
        try
        {
            return field(IpynbFormat.Read(path).Metadata) is JsonValue d && d.TryGetValue<double>(out var seconds)
                && double.IsFinite(seconds) && seconds >= 0 ? seconds : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotebookFormatException or InvalidOperationException) { return null; }
    }

    /// <summary>A notebook the run did not start because a signal stopped it first.</summary>
    static NotebookOutcome NotStarted(string notebook, Interruption interruption) =>
        new(notebook, null, false, 0, 0, TimeSpan.Zero, $"not run: the run was stopped by {interruption.SignalName} before this notebook started");

    /// <summary>In a notebook's own process: stream text as <c>@@log STREAM "JSON TEXT"</c> lines on stdout (as it is before
    /// any cell runs; a running cell's Console is its capture), for the parent's sink.</summary>
    static Action<string, string> ToParent()
    {
        var stdout = Console.Out;
        return (stream, text) => stdout.WriteLine($"@@log {stream} {System.Text.Json.JsonSerializer.Serialize(text)}");
    }

    /// <summary>
    /// The seed-worker share of each notebook process under <c>--jobs</c>: a file per running notebook
    /// (<c>LOSSLAB_SEED_WORKERS_FILE</c>) holding how many seeds it may train at once, cores ÷ (notebooks running × torch
    /// threads each), at least 1. While notebooks wait to start every share is 1; once none waits, a notebook that ends
    /// hands its cores to those still running, whose comparisons take on workers (<see cref="LossLab.Training.Threads.Workers"/>).
    /// Seeds give the same numbers whatever the number of workers, so only the time changes.
    /// </summary>
    sealed class WorkerShares(int threads, int notebooks) : IDisposable
    {
        readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("losslab-shares-");
        readonly HashSet<int> running = [];
        int waiting = notebooks;

        /// <summary>Notebook <paramref name="index"/> starts: its share file, written before its process starts.</summary>
        public string Started(int index)
        {
            lock (running)
            {
                running.Add(index);
                waiting--;
                Write();
                return PathOf(index);
            }
        }

        /// <summary>Notebook <paramref name="index"/> ended: the others' shares are rewritten.</summary>
        public void Finished(int index)
        {
            lock (running)
            {
                running.Remove(index);
                try { File.Delete(PathOf(index)); }
                catch (IOException) { }
                // A waiting notebook takes the freed slot at once: no share grows (a worker, once added, stays).
                if (waiting == 0) Write();
            }
        }

        string PathOf(int index) => Path.Combine(folder.FullName, $"{index}.workers");

        void Write()
        {
            int share = Math.Max(1, Environment.ProcessorCount / (Math.Max(1, running.Count) * threads));
            foreach (int i in running)
                try { LossLab.Training.Threads.WriteShare(PathOf(i), share); }
                catch (IOException) { }   // the notebook keeps its last share
        }

        public void Dispose()
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    static async Task<NotebookOutcome> RunChildAsync(RunSettings settings, string notebook, int threads, string? shareFile, Action<int, int, TimeSpan> onCell, Interruption interruption,
        OutputSink? sink, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(self) is "losslab" or "LossLab.Cli") start.FileName = self;
        else
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(typeof(BatchRunner).Assembly.Location);
        }
        foreach (var a in settings.ChildArguments(notebook)) start.ArgumentList.Add(a);
        // A larger gen-0 budget (256 MB) makes garbage collections, and with them TorchSharp's finalizer race on
        // temporary scalars (environment.md, "Same seed, same numbers"), far rarer in the notebook's process.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_GCgen0size"))) start.Environment["DOTNET_GCgen0size"] = "0x10000000";
        // The malloc the notebook's tensors come from (NativeAllocator): jemalloc preloaded where the system has it, else
        // one glibc arena. Both are read once, when the process starts, hence here.
        foreach (var (name, value) in settings.AllocatorEnvironment ?? LossLab.Training.NativeAllocator.ForNotebookProcess()) start.Environment[name] = value;
        // The split under --jobs: each notebook process's torch uses its share of the cores (LOSSLAB_THREADS, which the
        // library applies and a cell cannot override); without --jobs the child inherits the caller's LOSSLAB_THREADS.
        start.Environment[Interruption.ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (settings.Jobs > 1 && threads < Environment.ProcessorCount) start.Environment[CSharpKernel.TorchThreadsVariable] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (shareFile is not null) start.Environment[LossLab.Training.Threads.WorkersFileVariable] = shareFile;
        // --memory-limit: the managed heap is bounded by the runtime (an allocation past it throws OutOfMemoryException in
        // the cell, which the notebook records), and the process's resident memory, native included, by a watchdog here.
        if (settings.MemoryLimit is { } limit) start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limit.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new IOException("could not start a child losslab process.");
        using var tracked = interruption.Track(process);
        bool overLimit = false;
        using var watchdog = settings.MemoryLimit is { } bytes ? new Timer(_ =>
        {
            try
            {
                process.Refresh();
                if (process.HasExited || process.WorkingSet64 <= bytes) return;
                overLimit = true;
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }, null, 200, 200) : null;
        var errors = new System.Text.StringBuilder();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line) lock (errors) errors.AppendLine(line);
        }, cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("@@log ", StringComparison.Ordinal))
            {
                int space = line.IndexOf(' ', "@@log ".Length);
                if (space > 0 && sink is not null)
                {
                    try
                    {
                        if (System.Text.Json.JsonSerializer.Deserialize<string>(line.AsSpan(space + 1)) is { } text)
                            sink.Write(line["@@log ".Length..space], text);
                    }
                    catch (System.Text.Json.JsonException) { }
                }
                continue;
            }
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "@@progress" && int.TryParse(parts[1], out var cell) && int.TryParse(parts[2], out var cells))
                onCell(cell, cells, stopwatch.Elapsed);
        }
        await stderr;
        await process.WaitForExitAsync(cancellationToken);
        var output = settings.OutputFor(notebook);
        var problem = errors.ToString().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("losslab: FAILED", StringComparison.Ordinal));
        var message = problem is null ? errors.ToString().Trim() : problem[(problem.IndexOf(": ", "losslab: FAILED ".Length, StringComparison.Ordinal) + 2)..];
        watchdog?.Dispose();
        if (interruption.Token.IsCancellationRequested && process.ExitCode != 0)
        {
            // Stopped by SIGINT/SIGTERM: the cell in flight is marked interrupted, as papermill marks a failed cell.
            var ended = $"interrupted by {interruption.SignalName}: the run was stopped while this cell ran";
            var cell = ChildCrash.MarkCellInFlight(output, ended, "KeyboardInterrupt");
            message = cell is null ? ended : $"{cell}: {ended}";
        }
        else if (overLimit)
        {
            var ended = $"the notebook's process went past --memory-limit {settings.MemoryLimit / (1 << 20)} MB (resident memory) and was stopped";
            var cell = ChildCrash.MarkCellInFlight(output, ended, "MemoryLimitExceeded");
            message = cell is null ? ended : $"{cell}: {ended}";
        }
        else if (process.ExitCode != 0 && problem is null)
        {
            // The child did not finish its own record: it exited (Environment.Exit), crashed or was killed mid-cell.
            var ended = ProcessEnd(process.ExitCode);
            var cell = ChildCrash.MarkCellInFlight(output, ended);
            message = cell is null ? $"{ended}{(message.Length > 0 ? ": " + LastLine(message) : "")}" : $"{cell}: {ended}";
        }
        var (ran, code) = CountCells(output);
        return new NotebookOutcome(notebook, File.Exists(output) ? output : null, process.ExitCode == 0, ran, code, stopwatch.Elapsed,
            process.ExitCode == 0 ? null : (message.Length > 0 ? message : $"exit code {process.ExitCode}"));
    }

    static string ProcessEnd(int exitCode) => exitCode switch
    {
        134 => "the notebook's process aborted (exit code 134: a crash such as a stack overflow or an unhandled exception on another thread)",
        137 => "the notebook's process was killed (exit code 137)",
        139 => "the notebook's process crashed (exit code 139: segmentation fault)",
        _ => $"the notebook's process ended with exit code {exitCode} before the notebook finished (Environment.Exit or a crash)",
    };

    static string LastLine(string text) => text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";

    static (int Ran, int Code) CountCells(string output)
    {
        try
        {
            var document = IpynbFormat.Read(output);
            var code = document.Cells.Where(c => c.IsCode).ToList();
            return (code.Count(c => c.ExecutionCount is not null), code.Count);
        }
        catch (NotebookFormatException) { return (0, 0); }
    }
}
