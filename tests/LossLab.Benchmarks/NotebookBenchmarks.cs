using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LossLab.Notebooks.Kernel;

namespace LossLab.Benchmarks;

/// <summary>
/// Notebook engine latency. <see cref="TrivialCellAfterTheFirst"/>: one trivial cell in a warm kernel, compilation
/// included (target ≤ 50 ms median); the first cell is <see cref="NotebookFirstCellBenchmarks"/>.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*Notebook*'
/// </summary>
[MemoryDiagnoser]
public class NotebookBenchmarks
{
    CSharpKernel kernel = null!;
    string folder = null!;
    int count;

    [GlobalSetup(Target = nameof(TrivialCellAfterTheFirst))]
    public void WarmKernel()
    {
        folder = Directory.CreateTempSubdirectory("losslab-bench").FullName;
        kernel = new CSharpKernel(folder);
        kernel.RunAsync("var x = 1;", "cell1.csx", ++count).GetAwaiter().GetResult();
    }

    /// <summary>A trivial cell (<c>x + 1</c>) after the first: compile, run, format the result.</summary>
    [Benchmark]
    public object TrivialCellAfterTheFirst() =>
        kernel.RunAsync("x + 1", $"cell{++count}.csx", count).GetAwaiter().GetResult();
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
