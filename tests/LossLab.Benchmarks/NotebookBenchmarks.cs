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

/// <summary>
/// A small notebook run as <c>losslab run</c> runs each notebook: the command, then the notebook in a process of its own
/// (LossLab, torch, a training step, a chart, a table), end to end, for the command as <c>dotnet build</c> leaves it (IL,
/// JIT-compiled as it runs) and as <c>./losslab</c> publishes it (ReadyToRun). This is the fixed cost every notebook of
/// the suite pays. Build both first:
///   dotnet build -c Release lib/LossLab.Cli &amp;&amp; ./losslab --version
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*NotebookProcess*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8, invocationCount: 1)]
public class NotebookProcessBenchmarks
{
    string folder = null!;
    string command = null!;

    /// <summary>Where the command comes from: <c>build</c> (bin/Release/net10.0) or <c>publish</c> (bin/publish).</summary>
    [Params("build", "publish")]
    public string Command { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var root = Repository.Root();
        command = Path.Combine(root, "lib", "LossLab.Cli", "bin", Command == "build" ? Path.Combine("Release", "net10.0") : "publish", "losslab");
        if (!File.Exists(command)) throw new InvalidOperationException($"{command} is missing: build it first (see the class summary).");
        folder = Directory.CreateTempSubdirectory("losslab-process-bench").FullName;
        var lib = Path.Combine(root, "lib", "LossLab", "bin", "Release", "net10.0");
        var cells = new[]
        {
            string.Join("\n", new[] { "TorchSharp", "Plotly.NET", "Plotly.NET.CSharp", "LossLab" }.Select(a => $"#r \"{Path.Combine(lib, a + ".dll")}\"")) +
                "\nusing LossLab.Plots;\nusing LossLab.Training;\nusing TorchSharp;\nusing static TorchSharp.torch;",
            "Seeds.Fix(1);\nvar model = torch.nn.Linear(8, 2);\nvar optimizer = torch.optim.Adam(model.parameters());\n" +
                "var losses = new List<double>();\nfor (int i = 0; i < 20; i++) { using var scope = torch.NewDisposeScope(); optimizer.zero_grad(); " +
                "var loss = model.forward(torch.randn(16, 8)).pow(2).mean(); loss.backward(); optimizer.step(); losses.Add(loss.item<float>()); }",
            "LineChart.Create(new[] { new ChartSeries(\"loss\", Enumerable.Range(0, losses.Count).Select(i => (double)i).ToArray(), losses.ToArray()) }, title: \"loss\", xTitle: \"step\", yTitle: \"loss\")",
            "losses.Select((l, i) => new { Step = i, Loss = l }).Take(5)",
        };
        var notebook = LossLab.Notebooks.Documents.IpynbFormat.Parse(
            "{\"cells\": [], \"metadata\": {\"kernelspec\": {\"name\": \".net-csharp\", \"language\": \"C#\", \"display_name\": \".NET (C#)\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        notebook.Cells.AddRange(cells.Select(c => LossLab.Notebooks.Documents.NotebookCell.Create("code", c)));
        LossLab.Notebooks.Documents.IpynbFormat.Save(notebook, Path.Combine(folder, "small.ipynb"));
    }

    /// <summary>The notebook, end to end, into a fresh output folder (the execution cache would skip it otherwise).</summary>
    [Benchmark]
    public void SmallNotebook()
    {
        var output = Path.Combine(folder, "out-" + Guid.NewGuid().ToString("N"));
        LosslabProcess.Run(command, folder, "run", "small.ipynb", "-o", output);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);
}
