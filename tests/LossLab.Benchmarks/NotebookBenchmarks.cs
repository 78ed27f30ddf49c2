using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LossLab.Notebooks.Kernel;

namespace LossLab.Benchmarks;

/// <summary>
/// Notebook engine latency. <see cref="TrivialCellAfterTheFirst"/>: the second cell of a notebook, a trivial one, compile
/// included (target ≤ 50 ms median). Each iteration starts a new kernel and runs its first cell untimed, so every measured
/// cell continues a short script chain as in a real notebook (one long-lived kernel would time cell 3,000 instead). The
/// first cell itself is <see cref="NotebookFirstCellBenchmarks"/>.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*Notebook*'
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3), IterationCount(30), InvocationCount(1)]
public class NotebookBenchmarks
{
    CSharpKernel kernel = null!;
    string folder = null!;

    [GlobalSetup]
    public void Folder() => folder = Directory.CreateTempSubdirectory("losslab-bench").FullName;

    [IterationSetup]
    public void NewKernelWithItsFirstCell()
    {
        kernel = new CSharpKernel(folder);
        kernel.RunAsync("var x = 1;", "cell1.csx", 1).GetAwaiter().GetResult();
    }

    /// <summary>A trivial cell (<c>x + 1</c>) after the first: compile, run, format the result.</summary>
    [Benchmark]
    public object TrivialCellAfterTheFirst() =>
        kernel.RunAsync("x + 1", "cell2.csx", 2).GetAwaiter().GetResult();
}

/// <summary>A notebook's first cell in a new kernel, cold in each process (5 processes, one invocation each): Roslyn's
/// warm-up, the references of the shipped libraries, compile and run (target ≤ 2.5 s).</summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class NotebookFirstCellBenchmarks
{
    string folder = null!;

    [GlobalSetup]
    public void Folder() => folder = Directory.CreateTempSubdirectory("losslab-bench").FullName;

    [Benchmark]
    public object FirstCell() =>
        new CSharpKernel(folder).RunAsync("var greeting = \"hello\";\ngreeting.Length", "cell1.csx", 1).GetAwaiter().GetResult();
}
