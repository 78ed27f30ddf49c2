using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace LossLab.Benchmarks;

/// <summary>
/// The notebook suite end to end, as the README's main command runs it: <c>losslab run notebooks</c> with the published
/// command, at default scale (five seeds per claim), <c>--jobs</c> at its default (the cores). <see cref="FreshRun"/>
/// runs into a new output folder each time, so nothing comes from the execution cache (goal on two cores: ≤ 5 minutes);
/// <see cref="NoChangeRerun"/> runs again into the folder of a finished run with nothing changed, so every notebook is
/// reused from the cache and the site is rebuilt (goal: ≤ 10 s). An iteration that does not do what it claims to time
/// (a notebook fails; a rerun runs a notebook instead of reusing it) throws instead of reporting a time. Publish first, and
/// give the benchmark the machine (it takes about 20 minutes on two cores):
///   ./losslab --version
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*SuiteBenchmarks*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
public class SuiteBenchmarks
{
    string root = null!, command = null!, folder = null!, finished = null!;
    int notebooks;

    [GlobalSetup]
    public void Setup()
    {
        root = Repository.Root();
        command = Path.Combine(root, "lib", "LossLab.Cli", "bin", "publish", "losslab");
        if (!File.Exists(command)) throw new InvalidOperationException($"{command} is missing: publish it first with ./losslab --version.");
        folder = Directory.CreateTempSubdirectory("losslab-suite-bench").FullName;
        notebooks = LossLab.Notebooks.Execution.NotebookDiscovery.Find([Path.Combine(root, "notebooks")]).Count;   // as losslab run finds them
    }

    /// <summary>The run every <see cref="NoChangeRerun"/> iteration repeats, made once before them and checked to be
    /// complete: a dry run into its folder must find every notebook cached.</summary>
    [GlobalSetup(Target = nameof(NoChangeRerun))]
    public void FinishedRun()
    {
        Setup();
        finished = Path.Combine(folder, "finished");
        Losslab("run", "notebooks", "-o", finished);
        var dry = Losslab("run", "notebooks", "-o", finished, "--dry-run");
        if (!dry.Contains($"dry run: 0 would run, {notebooks} cached", StringComparison.Ordinal))
            throw new InvalidOperationException($"After a finished run, a dry run into its folder should find all {notebooks} notebooks cached; it printed:\n{dry}");
    }

    /// <summary>The suite into a fresh output folder: every notebook runs.</summary>
    [Benchmark]
    public void FreshRun()
    {
        var output = Path.Combine(folder, "fresh-" + Guid.NewGuid().ToString("N"));
        var printed = Losslab("run", "notebooks", "-o", output);
        RequireSummary(printed, $"{notebooks} notebooks ran, none failed.");
        Directory.Delete(output, recursive: true);
    }

    /// <summary>The suite again into the finished run's folder, nothing changed: every notebook is reused.</summary>
    [Benchmark]
    public void NoChangeRerun() =>
        RequireSummary(Losslab("run", "notebooks", "-o", finished), $"{notebooks} notebooks ran ({notebooks} cached), none failed.");

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    static void RequireSummary(string printed, string expected)
    {
        var line = Regex.Match(printed, @"^\d+ notebooks? ran.*$", RegexOptions.Multiline).Value;
        if (line != expected)
            throw new InvalidOperationException($"losslab run should have printed \"{expected}\"; it printed \"{line}\".");
    }

    /// <summary>Runs the published command itself in the repository (not the ./losslab script, which would republish inside
    /// the timing).</summary>
    string Losslab(params string[] arguments) => LosslabProcess.Run(command, root, arguments);
}
