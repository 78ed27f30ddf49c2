using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLab.Notebooks.Kernel;

namespace LossLab.Benchmarks;

/// <summary>
/// Output at any volume (issue 20): a cell printing <see cref="Megabytes"/> MB of stdout (lines of 1,000 characters),
/// captured through the engine's path (the long stream spilling to a side file past the default 4-million-character
/// limit), against the same lines written three other ways: through a console writer on /dev/null (the baseline: the
/// writer .NET makes for a redirected stdout, a synchronized UTF-8 StreamWriter with a 256-character buffer and
/// AutoFlush over an unbuffered stream, i.e. what the same cell's <c>Console.WriteLine</c> costs in a plain process whose
/// stdout is /dev/null: under strace both make four write calls per 1,000-character line), to a plain file through a 4 KB-buffered StreamWriter (the least a side file costs), and to
/// /dev/null through that buffered writer (a floor: formatting only). Each iteration runs the cell in a fresh kernel (its
/// compilation included, the same in every arm); 20 iterations, so that the compiler is warm and the timings are not
/// dominated by its first runs.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*CellOutput*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class CellOutputBenchmarks
{
    sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(20).WithInvocationCount(1).WithUnrollFactor(1));
    }

    CSharpKernel kernel = null!;
    string folder = null!;

    [Params(2, 10, 50)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Folder() => folder = Directory.CreateTempSubdirectory("losslab-bench").FullName;

    [IterationSetup]
    public void NewKernel()
    {
        // The previous iteration's side file is removed here, untimed: each timed cell writes its stream to a new file.
        foreach (var old in Directory.GetFiles(folder, "bench.*")) System.IO.File.Delete(old);
        kernel = new CSharpKernel(folder) { SideFilePrefix = Path.Combine(folder, "bench") };
        kernel.RunAsync($"var line = new string('x', 999); var devNull = new System.IO.StreamWriter(\"/dev/null\"); " +
            "var consoleNull = System.IO.TextWriter.Synchronized(new System.IO.StreamWriter(new System.IO.FileStream(\"/dev/null\", System.IO.FileMode.Append, System.IO.FileAccess.Write, System.IO.FileShare.ReadWrite, 0), new System.Text.UTF8Encoding(false), 256) { AutoFlush = true }); " +
            $" var file = new System.IO.StreamWriter(@\"{Path.Combine(folder, "bench.plain.txt")}\");",
            "cell1.csx", 1).GetAwaiter().GetResult();
    }

    /// <summary>The lines printed to the cell's stdout, captured into the notebook (head and tail) and its side file.</summary>
    [Benchmark]
    public object Stdout() => kernel.RunAsync($"for (int i = 0; i < {Megabytes * 1000}; i++) Console.WriteLine(line);", "cell2.csx", 2).GetAwaiter().GetResult();

    /// <summary>The same lines written to a file (what the side file costs at the least).</summary>
    [Benchmark]
    public object File() => kernel.RunAsync($"for (int i = 0; i < {Megabytes * 1000}; i++) file.WriteLine(line); file.Dispose();", "cell2.csx", 2).GetAwaiter().GetResult();

    /// <summary>The same lines through a console writer on /dev/null (the cell's own cost in a plain process with its
    /// stdout on /dev/null).</summary>
    [Benchmark(Baseline = true)]
    public object ConsoleDevNull() => kernel.RunAsync($"for (int i = 0; i < {Megabytes * 1000}; i++) consoleNull.WriteLine(line); consoleNull.Flush();", "cell2.csx", 2).GetAwaiter().GetResult();

    /// <summary>The same lines written to /dev/null through a 4 KB-buffered writer (formatting only).</summary>
    [Benchmark]
    public object DevNull() => kernel.RunAsync($"for (int i = 0; i < {Megabytes * 1000}; i++) devNull.WriteLine(line); devNull.Flush();", "cell2.csx", 2).GetAwaiter().GetResult();
}
