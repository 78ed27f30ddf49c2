using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Sweeps;
using LossLab.Training;

namespace LossLab.Cli.Commands;

/// <summary>
/// <c>losslab sweep SPEC [NOTEBOOK...] --out DIR [--executor local|slurm] [--dry-run]</c>, <c>losslab sweep status DIR</c>,
/// <c>losslab sweep resume DIR</c>: notebooks × a parameter grid (see <see cref="SweepSpec"/>), each point an ordinary
/// <c>losslab run</c> into its own folder, run by a local process pool or as one Slurm job array.
/// </summary>
public static class SweepCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The sweep's YAML file (notebooks, scale, parameters, zip)." };
        var notebooks = new Argument<string[]>("NOTEBOOK") { Description = "Notebooks to add to the spec's.", Arity = ArgumentArity.ZeroOrMore };
        var outDir = new Option<string>("--out", "-o") { Description = "The sweep's folder: manifest, one run folder per point.", DefaultValueFactory = _ => "sweep", HelpName = "DIR" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the points and their folders; run nothing, write nothing." };
        var executor = Executor();
        var command = new Command("sweep", "Run notebooks over a parameter grid: locally or as a Slurm job array; then status, resume.")
        {
            spec, notebooks, outDir, dryRun, executor.Kind, executor.Jobs, executor.Wait, executor.Partition, executor.Time, executor.Memory, executor.Cpus, executor.Gpus,
        };
        command.SetAction(parse => Guarded(() =>
        {
            var sweep = SweepSpec.Load(parse.GetValue(spec)!, parse.GetValue(notebooks));
            if (parse.GetValue(dryRun))
            {
                Console.WriteLine($"{sweep.Points.Count} points × {sweep.Notebooks.Count} notebook(s), scale {sweep.Scale ?? "(the notebooks' own)"}, into {Path.GetFullPath(parse.GetValue(outDir)!)}/points/:");
                foreach (var p in sweep.Points) Console.WriteLine($"  {p.Index,4}  {p.Name}  -y \"{SweepSpec.Yaml(p.Parameters)}\"");
                return 0;
            }
            var manifest = SweepManifest.Create(sweep, parse.GetValue(outDir)!);
            Console.WriteLine($"losslab sweep: {manifest.Points.Count} points; manifest {Path.Combine(manifest.Directory, SweepManifest.FileName)}");
            return Execute(manifest, manifest.Points, parse, executor);
        }));
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Resume());
        command.Subcommands.Add(Task());
        command.Subcommands.Add(RenderSweep());
        return command;
    }

    static Command RenderSweep()
    {
        var dir = new Argument<string>("DIR") { Description = "The sweep's folder." };
        var metric = new Option<string?>("--metric") { Description = "The claim (id or notebook/id) whose estimate the chart shows (default: the first).", HelpName = "ID" };
        var by = new Option<string?>("--by") { Description = "The parameter on the chart's x axis (default: the first varying one).", HelpName = "NAME" };
        var seeds = new Option<string?>("--seeds") { Description = "A varying parameter to average over (with a 95 % t-interval), e.g. RunSeeds.", HelpName = "NAME" };
        var command = new Command("render", "One result from every point: sweep.csv, sweep-table.json and sweep.html (table and chart).") { dir, metric, by, seeds };
        command.SetAction(parse => Guarded(() => Render(parse.GetValue(dir)!, parse.GetValue(metric), parse.GetValue(by), parse.GetValue(seeds))));
        return command;
    }

    /// <summary>Writes a sweep's table and page (also what <c>losslab render DIR</c> does for a sweep folder).</summary>
    public static int Render(string directory, string? metric, string? by, string? seeds)
    {
        var manifest = SweepManifest.Load(directory);
        var states = SweepStatus.Of(manifest);
        var rows = SweepReport.Rows(manifest, p => states[p.Index].Label);
        var page = SweepReport.Write(manifest, rows, metric, by, seeds);
        Console.WriteLine($"Sweep: {Path.GetRelativePath(Environment.CurrentDirectory, page)} ({manifest.Points.Count} points, {rows.Count(r => r.Claim is not null)} claim results; " +
                          string.Join(", ", states.GroupBy(s => s.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) + ")");
        return states.All(s => s.Label == "done") ? 0 : 1;
    }

    internal sealed record ExecutorOptions(Option<string> Kind, Option<int> Jobs, Option<bool> Wait, Option<string?> Partition, Option<string?> Time,
        Option<string?> Memory, Option<int?> Cpus, Option<int?> Gpus);

    static ExecutorOptions Executor()
    {
        var kind = new Option<string>("--executor") { Description = "local: a process pool here; slurm: one job array (sbatch).", DefaultValueFactory = _ => "local", HelpName = "local|slurm" };
        kind.AcceptOnlyFromAmong("local", "slurm");
        return new ExecutorOptions(kind,
            new Option<int>("--jobs", "-j") { Description = "local: points run at once.", DefaultValueFactory = _ => 1, HelpName = "N" },
            new Option<bool>("--wait") { Description = "slurm: block until the array ends (else print the job id and return)." },
            new Option<string?>("--partition") { Description = "slurm: sbatch --partition.", HelpName = "P" },
            new Option<string?>("--time") { Description = "slurm: sbatch --time per task (e.g. 00:30:00).", HelpName = "T" },
            new Option<string?>("--mem") { Description = "slurm: sbatch --mem per task (e.g. 8G).", HelpName = "M" },
            new Option<int?>("--cpus-per-task") { Description = "slurm: sbatch --cpus-per-task (torch uses that many threads).", HelpName = "N" },
            new Option<int?>("--gpus") { Description = "slurm: GPUs per task (--gres=gpu:N; the tasks run with LOSSLAB_DEVICE=cuda).", HelpName = "N" });
    }

    static void AddExecutor(Command command, ExecutorOptions e)
    {
        foreach (Option o in new Option[] { e.Kind, e.Jobs, e.Wait, e.Partition, e.Time, e.Memory, e.Cpus, e.Gpus }) command.Options.Add(o);
    }

    static Command Status()
    {
        var dir = new Argument<string>("DIR") { Description = "The sweep's folder." };
        var command = new Command("status", "Each point's state: done, failed, running, pending, missing (started, then gone), not started.") { dir };
        command.SetAction(parse => Guarded(() =>
        {
            var manifest = SweepManifest.Load(parse.GetValue(dir)!);
            var states = SweepStatus.Of(manifest);
            foreach (var (point, state) in manifest.Points.Zip(states))
                Console.WriteLine($"{point.Index,4}  {state.Label,-11}  {point.Name}{(state.Detail is { } d ? "  (" + d + ")" : "")}");
            Console.WriteLine(string.Join(", ", states.GroupBy(s => s.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")));
            return states.All(s => s.Label == "done") ? 0 : 1;
        }));
        return command;
    }

    static Command Resume()
    {
        var dir = new Argument<string>("DIR") { Description = "The sweep's folder." };
        var failed = new Option<bool>("--failed") { Description = "Also rerun the points that ran and failed." };
        var executor = Executor();
        var command = new Command("resume", "Run again the points without a completed record (cancelled, died, never started).") { dir, failed };
        AddExecutor(command, executor);
        command.SetAction(parse => Guarded(() =>
        {
            var manifest = SweepManifest.Load(parse.GetValue(dir)!);
            var states = SweepStatus.Of(manifest);
            var todo = manifest.Points.Zip(states).Where(x => x.Second.Label is "missing" or "not started" || (parse.GetValue(failed) && x.Second.Label == "failed"))
                .Select(x => x.First).ToList();
            if (states.Any(s => s.Label is "running" or "pending"))
                throw new SweepException("points of this sweep are still queued or running in Slurm; wait for them (losslab sweep status) before resuming.");
            Console.WriteLine($"losslab sweep: resuming {todo.Count} of {manifest.Points.Count} points");
            return todo.Count == 0 ? 0 : Execute(manifest, todo, parse, executor);
        }));
        return command;
    }

    /// <summary>One point, as a job array task runs it: <c>losslab run</c> into the point's folder, its record before and after.</summary>
    static Command Task()
    {
        var dir = new Argument<string>("DIR") { Description = "The sweep's folder." };
        var index = new Option<int?>("--index") { Description = "The point (default: $SLURM_ARRAY_TASK_ID).", HelpName = "I" };
        var command = new Command("task", "Run one point of a sweep (what each job array task runs).") { dir, index };
        command.Hidden = true;
        command.SetAction(parse => Guarded(() =>
        {
            var manifest = SweepManifest.Load(parse.GetValue(dir)!);
            int i = parse.GetValue(index) ?? (int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), CultureInfo.InvariantCulture, out var t)
                ? t : throw new SweepException("give --index or run inside a Slurm array task (SLURM_ARRAY_TASK_ID)."));
            // In a Slurm task: torch uses the CPUs the task was given (1 unless --cpus-per-task).
            int? threads = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is null ? null
                : int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), CultureInfo.InvariantCulture, out var cpus) ? cpus : 1;
            return RunPoint(manifest, manifest.Point(i), threads);
        }));
        return command;
    }

    /// <summary>Runs a point through <c>losslab run</c> in a child process (its output in the point's <c>run.log</c>);
    /// records it as running first and done or failed at the end.</summary>
    internal static int RunPoint(SweepManifest manifest, SweepPoint point, int? threads = null)
    {
        var folder = manifest.PointFolder(point);
        Directory.CreateDirectory(folder);
        var started = DateTimeOffset.UtcNow;
        var host = Environment.MachineName;
        manifest.WriteRecord(point, new PointRecord(PointState.Running, null, started, null, host, Environment.ProcessId));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (threads is { } n && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LOSSLAB_THREADS")))
            start.Environment["LOSSLAB_THREADS"] = n.ToString(CultureInfo.InvariantCulture);
        start.ArgumentList.Add(typeof(SweepCommand).Assembly.Location);
        start.ArgumentList.Add("run");
        foreach (var nb in manifest.Notebooks) start.ArgumentList.Add(nb);
        if (manifest.Scale is { } scale) { start.ArgumentList.Add("--scale"); start.ArgumentList.Add(scale); }
        start.ArgumentList.Add("-y");
        start.ArgumentList.Add(SweepSpec.Yaml(point.Parameters));
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(folder);
        int exit;
        using (var log = new StreamWriter(Path.Combine(folder, "run.log"), append: false, new UTF8Encoding(false)) { AutoFlush = true })
        using (var process = Process.Start(start)!)
        {
            var gate = new object();
            process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (gate) log.WriteLine(line); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (gate) log.WriteLine(line); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            exit = process.ExitCode;
        }
        manifest.WriteRecord(point, new PointRecord(exit == 0 ? PointState.Done : PointState.Failed, exit, started, DateTimeOffset.UtcNow, host));
        return exit;
    }

    static int Execute(SweepManifest manifest, IReadOnlyList<SweepPoint> points, ParseResult parse, ExecutorOptions e) =>
        parse.GetValue(e.Kind) == "slurm" ? SlurmExecutor.Submit(manifest, points, parse, e) : Local(manifest, points, parse.GetValue(e.Jobs));

    static int Local(SweepManifest manifest, IReadOnlyList<SweepPoint> points, int jobs)
    {
        if (jobs < 1) throw new SweepException("--jobs must be at least 1.");
        var watch = Stopwatch.StartNew();
        int failed = 0, finished = 0;
        Parallel.ForEach(points, new ParallelOptions { MaxDegreeOfParallelism = jobs }, point =>
        {
            int exit = RunPoint(manifest, point, Math.Max(1, Environment.ProcessorCount / jobs));   // the cores split among the points at once
            if (exit != 0) Interlocked.Increment(ref failed);
            int n = Interlocked.Increment(ref finished);
            Console.WriteLine($"[{n}/{points.Count}] {(exit == 0 ? "done  " : $"FAILED (exit {exit})")} {point.Name}  {watch.Elapsed.TotalSeconds:0.0} s");
        });
        Console.WriteLine($"losslab sweep: {points.Count - failed} done, {failed} failed, {watch.Elapsed.TotalSeconds:0.0} s; losslab sweep status {manifest.Directory}");
        return failed == 0 ? 0 : 1;
    }

    static int Guarded(Func<int> action)
    {
        try { return action(); }
        catch (SweepException e) { Console.Error.WriteLine($"losslab sweep: {e.Message}"); return 2; }
    }

    /// <summary>The Slurm executor: the CLI copied once into the sweep folder (tasks never build), one sbatch job array
    /// over the points, its job id kept in <c>slurm.json</c>.</summary>
    internal static class SlurmExecutor
    {
        public static int Submit(SweepManifest manifest, IReadOnlyList<SweepPoint> points, ParseResult parse, ExecutorOptions e)
        {
            var cli = PublishCli(manifest.Directory);
            Directory.CreateDirectory(Path.Combine(manifest.Directory, "slurm"));
            var script = new StringBuilder("#!/bin/bash\n");
            script.Append("#SBATCH --job-name=losslab-sweep\n");
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={string.Join(",", points.Select(p => p.Index))}\n");
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(manifest.Directory, "slurm", "%A_%a.out")}\n");
            if (parse.GetValue(e.Partition) is { } partition) script.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}\n");
            if (parse.GetValue(e.Time) is { } time) script.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={time}\n");
            if (parse.GetValue(e.Memory) is { } mem) script.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={mem}\n");
            if (parse.GetValue(e.Cpus) is { } cpus) script.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpus}\n");
            if (parse.GetValue(e.Gpus) is { } gpus) script.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{gpus}\nexport LOSSLAB_DEVICE=cuda\n");
            script.Append(CultureInfo.InvariantCulture, $"exec dotnet '{Path.Combine(cli, "LossLab.Cli.dll")}' sweep task '{manifest.Directory}' --index \"$SLURM_ARRAY_TASK_ID\"\n");
            var scriptPath = Path.Combine(manifest.Directory, "slurm", "sweep.sbatch");
            AtomicFile.WriteAllText(scriptPath, script.ToString());

            var (exit, output, error) = Run("sbatch", ["--parsable", scriptPath]);
            if (exit != 0) throw new SweepException($"sbatch failed (exit {exit}): {error.Trim()}");
            var job = output.Trim().Split(';')[0];
            var jobs = Jobs(manifest).Append(job);
            AtomicFile.WriteAllText(Path.Combine(manifest.Directory, "slurm.json"),
                new JsonObject { ["jobs"] = new JsonArray(jobs.Select(j => (JsonNode)JsonValue.Create(j)).ToArray()) }.ToJsonString());
            Console.WriteLine($"losslab sweep: submitted job array {job} ({points.Count} tasks)");
            if (!parse.GetValue(e.Wait)) return 0;
            var watch = Stopwatch.StartNew();
            while (Queued(job).Count > 0) Thread.Sleep(1000);
            var states = SweepStatus.Of(manifest);
            var bad = points.Where(p => states[p.Index].Label != "done").ToList();
            Console.WriteLine($"losslab sweep: job array {job} ended after {watch.Elapsed.TotalSeconds:0.0} s: {points.Count - bad.Count} done, {bad.Count} not done");
            return bad.Count == 0 ? 0 : 1;
        }

        /// <summary>The job ids this sweep was submitted under (<c>slurm.json</c>), oldest first; empty when it never was.</summary>
        public static IReadOnlyList<string> Jobs(SweepManifest manifest)
        {
            var record = Path.Combine(manifest.Directory, "slurm.json");
            return File.Exists(record) ? JsonNode.Parse(File.ReadAllText(record))!["jobs"]!.AsArray().Select(j => j!.GetValue<string>()).ToList() : [];
        }

        /// <summary>Copies this build of the CLI into DIR/cli once (the tasks run it from there; a shared filesystem on a cluster).</summary>
        static string PublishCli(string directory)
        {
            var target = Path.Combine(directory, "cli");
            if (File.Exists(Path.Combine(target, "LossLab.Cli.dll"))) return target;
            var source = Path.GetDirectoryName(typeof(SweepCommand).Assembly.Location)!;
            var temp = target + ".tmp-" + Environment.ProcessId;
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(temp, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
            Directory.Move(temp, target);
            return target;
        }

        /// <summary>The array tasks of <paramref name="job"/> still in Slurm's queue: index → state (PENDING, RUNNING, …).</summary>
        public static Dictionary<int, string> Queued(string job)
        {
            var (exit, output, _) = Run("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"]);
            var queued = new Dictionary<int, string>();
            if (exit != 0) return queued;   // squeue refuses a job id it has forgotten: nothing of it is queued
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var index)) queued[index] = parts[1];
            }
            return queued;
        }

        public static (int Exit, string Output, string Error) Run(string file, IEnumerable<string> args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            try
            {
                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                return (process.ExitCode, output.Result, error.Result);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new SweepException($"{file} is not available ({ex.Message}); the slurm executor needs Slurm's commands on PATH.");
            }
        }
    }

    /// <summary>Each point's state for <c>status</c> and <c>resume</c>: from its record, and for points whose task is not
    /// finished, from Slurm's queue when the sweep was submitted there.</summary>
    internal static class SweepStatus
    {
        public sealed record State(string Label, string? Detail);

        public static IReadOnlyList<State> Of(SweepManifest manifest)
        {
            var jobs = SlurmExecutor.Jobs(manifest);
            var queued = new Dictionary<int, string>();
            foreach (var job in jobs)
                foreach (var (index, state) in SlurmExecutor.Queued(job)) queued[index] = state;
            return manifest.Points.Select(p =>
            {
                var r = manifest.Record(p);
                if (r is { State: PointState.Done }) return new State("done", $"{(r.Finished!.Value - r.Started).TotalSeconds:0.0} s");
                if (r is { State: PointState.Failed }) return new State("failed", $"exit {r.ExitCode}; see {Path.Combine("points", p.Name, "run.log")}");
                if (queued.TryGetValue(p.Index, out var s)) return new State(s == "PENDING" ? "pending" : "running", s.ToLowerInvariant());
                if (r is { State: PointState.Running })
                    return jobs.Count > 0 || r.DiedHere
                        ? new State("missing", $"started {r.Started:yyyy-MM-dd HH:mm} on {r.Host}, then cancelled or died")
                        : new State("running", $"started {r.Started:yyyy-MM-dd HH:mm} on {r.Host}");
                return new State("not started", null);
            }).ToList();
        }
    }
}
