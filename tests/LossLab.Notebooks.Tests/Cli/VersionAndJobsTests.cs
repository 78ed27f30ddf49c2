using System.Reflection;
using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

[Collection("Engine")]
public class VersionAndJobsTests
{
    [Fact]
    public async Task Version_prints_the_informational_version_with_the_commit_it_was_built_from()
    {
        var (exit, stdout, stderr) = await Losslab(Scratch(), "--version");

        Assert.True(exit == 0, stderr);
        var expected = typeof(LossLab.Cli.LossLabCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, stdout.Trim());
        Assert.StartsWith("0.1.0", stdout, StringComparison.Ordinal);   // Directory.Build.props
        var (version, commit) = LossLab.Notebooks.Execution.RunProvenance.Build();
        Assert.Equal("0.1.0", version);
        if (commit != "unknown") Assert.StartsWith($"0.1.0+{commit}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_default_to_the_cores_and_notebooks_running_together_split_them()
    {
        var probe = Notebook(Code($"Console.Write(Environment.GetEnvironmentVariable(\"{LossLab.Notebooks.Kernel.CSharpKernel.TorchThreadsVariable}\") ?? \"unset\");"));
        var root = Project(("a.ipynb", probe), ("b.ipynb", probe), ("c.ipynb", probe));

        var (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "b.ipynb", "c.ipynb", "-o", "out");

        Assert.True(exit == 0, stderr + stdout);
        int cores = Environment.ProcessorCount;
        var inherited = Environment.GetEnvironmentVariable(LossLab.Notebooks.Kernel.CSharpKernel.TorchThreadsVariable) ?? "unset";
        // Default --jobs = cores; three notebooks, so min(cores, 3) run together and each gets cores / that many threads.
        var expected = cores == 1 ? inherited : (cores / Math.Min(cores, 3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var name in new[] { "a", "b", "c" })
            Assert.Equal(expected, Text(IpynbFormat.Read(Path.Combine(root, "out", name + ".ipynb")).Cells[^1].Outputs[0]));

        // --jobs 4 with one notebook: it runs alone and keeps every core (the caller's setting).
        (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "-o", "solo", "--jobs", "4");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal(inherited, Text(IpynbFormat.Read(Path.Combine(root, "solo", "a.ipynb")).Cells[^1].Outputs[0]));
    }

    [Fact]
    public async Task A_notebooks_process_runs_on_jemalloc_where_the_system_has_it_else_on_one_glibc_arena_and_a_bad_choice_is_refused()
    {
        if (!OperatingSystem.IsLinux()) return;   // LD_PRELOAD and glibc's arenas
        var probe = Notebook(Code("Console.Write((Environment.GetEnvironmentVariable(\"MALLOC_ARENA_MAX\") ?? \"unset\") + \" | \" + LossLab.Training.TorchRuntime.NativeHeap"
            + " + \" | \" + (LossLab.Training.NativeAllocator.JemallocOption(\"opt.dirty_decay_ms\") ?? \"none\"));"));
        var root = Project(("a.ipynb", probe));
        static Dictionary<string, string> Choice(string? choice) => choice is null ? [] : new() { [LossLab.Training.NativeAllocator.Variable] = choice };
        async Task<string> Run(string? choice, string output)
        {
            var (exit, stdout, stderr) = await Losslab(root, Choice(choice), "run", "a.ipynb", "-o", output);
            Assert.True(exit == 0, stderr + stdout);
            return Text(IpynbFormat.Read(Path.Combine(root, output, "a.ipynb")).Cells[^1].Outputs[0]);
        }
        bool userArenas = LossLab.Training.TorchRuntime.ArenaVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
        bool userHeap = LossLab.Training.TorchRuntime.HeapVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
        const string Kept = "keeps freed blocks (mmap threshold 32 MB, trim threshold 1 GB)";

        // The default: what NativeAllocator finds on this machine.
        var seen = await Run(null, "auto");
        var expected = LossLab.Training.NativeAllocator.ForNotebookProcess();
        if (expected.TryGetValue("LD_PRELOAD", out var library))
        {
            Assert.StartsWith($"unset | jemalloc 5.", seen, StringComparison.Ordinal);
            Assert.Contains($"({library}; ", seen, StringComparison.Ordinal);
            if (expected.ContainsKey("MALLOC_CONF"))   // LossLab's settings, read back from jemalloc itself
                Assert.EndsWith("; dirty_decay_ms -1, muzzy_decay_ms -1, oversize_threshold 0) | -1", seen, StringComparison.Ordinal);
        }
        else if (!userArenas && !userHeap)
            Assert.Equal($"1 | {Kept}, MALLOC_ARENA_MAX=1 | none", seen);

        // glibc chosen: one arena, whose freed blocks are kept; jemalloc is not loaded.
        seen = await Run("glibc", "glibc");
        if (!userArenas && !userHeap && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LD_PRELOAD")))
            Assert.Equal($"1 | {Kept}, MALLOC_ARENA_MAX=1 | none", seen);

        // A bad choice stops the run before any notebook starts.
        var (badExit, _, badErr) = await Losslab(root, Choice("jemalloc"), "run", "a.ipynb", "-o", "bad");
        Assert.Equal(2, badExit);
        Assert.Contains("losslab: LOSSLAB_MALLOC must be 'auto', 'glibc' or the absolute path of a jemalloc library", badErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "bad")));
    }

    [Fact]
    public async Task A_notebook_left_running_takes_on_the_cores_of_one_that_ended_as_seed_workers()
    {
        if (Environment.ProcessorCount < 2) return;   // one core: nothing to share
        var root = Project();
        string marker = Path.Combine(root, "b-read-its-share");
        // a ends only after b has read its first share; b then waits (at most a minute) for its share to grow.
        var a = Notebook(Code($"var clock = System.Diagnostics.Stopwatch.StartNew(); while (!System.IO.File.Exists(@\"{marker}\") && clock.Elapsed.TotalSeconds < 60) System.Threading.Thread.Sleep(20); 1"));
        var b = Notebook(Code($$"""
            int first = LossLab.Training.Threads.Workers;
            System.IO.File.WriteAllText(@"{{marker}}", "");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (LossLab.Training.Threads.Workers == first && clock.Elapsed.TotalSeconds < 60) System.Threading.Thread.Sleep(20);
            Console.Write($"{first} -> {LossLab.Training.Threads.Workers} | {LossLab.Training.Threads.WorkersMayGrow} | {Environment.GetEnvironmentVariable("LOSSLAB_SEED_WORKERS_FILE")}");
            """));
        File.WriteAllText(Path.Combine(root, "a.ipynb"), a);
        File.WriteAllText(Path.Combine(root, "b.ipynb"), b);

        var (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "b.ipynb", "-o", "out", "--jobs", "2");

        Assert.True(exit == 0, stderr + stdout);
        var seen = Text(IpynbFormat.Read(Path.Combine(root, "out", "b.ipynb")).Cells[^1].Outputs[0]).Split(" | ");
        int threads = Environment.ProcessorCount / 2;
        Assert.Equal($"{Math.Max(1, Environment.ProcessorCount / (2 * threads))} -> {Environment.ProcessorCount / threads}", seen[0]);
        Assert.Equal("True", seen[1]);
        Assert.False(File.Exists(seen[2]));   // the shares' folder is removed with the run
        Assert.False(Directory.Exists(Path.GetDirectoryName(seen[2])));
    }

    [Fact]
    public async Task Notebooks_start_longest_first_by_their_last_run_into_the_same_folder()
    {
        var quick = Notebook(Code("1 + 1"));
        var slow = Notebook(Code("System.Threading.Thread.Sleep(1500); 2"));
        var root = Project(("a.ipynb", quick), ("b.ipynb", slow), ("c.ipynb", quick));
        DateTimeOffset Started(string folder, string name) =>
            DateTimeOffset.Parse(IpynbFormat.Read(Path.Combine(root, folder, name + ".ipynb")).Metadata["papermill"]!["start_time"]!.GetValue<string>(),
                System.Globalization.CultureInfo.InvariantCulture);

        // A fresh folder: path order.
        var (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "b.ipynb", "c.ipynb", "-o", "out", "--jobs", "1");
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(Started("out", "a") < Started("out", "b") && Started("out", "b") < Started("out", "c"));

        // Again into the same folder: b took longest there, so it starts first; the others follow by their durations.
        var settings = new LossLab.Cli.Commands.RunSettings { Notebooks = [.. new[] { "a", "b", "c" }.Select(n => Path.Combine(root, n + ".ipynb"))], OutDir = Path.Combine(root, "out"), Root = root };
        Assert.Equal(1, LossLab.Cli.Commands.BatchRunner.StartOrder(settings)[0]);
        (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "b.ipynb", "c.ipynb", "-o", "out", "--jobs", "1", "--force");
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(Started("out", "b") < Started("out", "a") && Started("out", "b") < Started("out", "c"));
        // Numbered by path order as before ([2/3] is b), and the summary table lists them in path order.
        Assert.Contains("[2/3] b.ipynb: started", stdout, StringComparison.Ordinal);
        Assert.True(stdout.IndexOf("│ a.ipynb", StringComparison.Ordinal) < stdout.IndexOf("│ b.ipynb", StringComparison.Ordinal), stdout);
    }

    [Fact]
    public async Task A_fresh_folder_starts_longest_first_by_the_seconds_each_source_declares_and_a_recorded_run_overrides_them()
    {
        static string Declaring(System.Text.Json.Nodes.JsonNode? seconds)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(Notebook(Code("1 + 1")))!;
            if (seconds is not null)
                node["metadata"]!["losslab"] = new System.Text.Json.Nodes.JsonObject { [LossLab.Cli.Commands.BatchRunner.ExpectedSecondsKey] = seconds };
            return node.ToJsonString();
        }
        var root = Project(("a.ipynb", Declaring(5)), ("b.ipynb", Declaring(null)), ("c.ipynb", Declaring(40)), ("d.ipynb", Declaring(12)),
            ("e.ipynb", Declaring("soon")));
        var settings = new LossLab.Cli.Commands.RunSettings
        {
            Notebooks = [.. new[] { "a", "b", "c", "d", "e" }.Select(n => Path.Combine(root, n + ".ipynb"))], OutDir = Path.Combine(root, "out"), Root = root,
        };
        // b declares nothing and e declares no number: both first, in path order; then c (40 s), d (12 s), a (5 s).
        Assert.Equal(new[] { 1, 4, 2, 3, 0 }, LossLab.Cli.Commands.BatchRunner.StartOrder(settings));

        // After a run into the folder, its recorded durations replace the declarations (all a few seconds at most here).
        var (exit, stdout, stderr) = await Losslab(root, "run", "a.ipynb", "c.ipynb", "-o", "out", "--jobs", "1");
        Assert.True(exit == 0, stderr + stdout);
        var order = LossLab.Cli.Commands.BatchRunner.StartOrder(settings);
        Assert.Equal(new[] { 1, 4 }, order.Take(2));   // still nothing known of b and e
        Assert.Equal(3, order[2]);                       // d's 12 declared seconds exceed a's and c's recorded ones
    }
}
