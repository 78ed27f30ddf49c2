using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;
using static LossLab.Benchmarks.TrainingBenchmarkToolchain;

namespace LossLab.Benchmarks;

static class TrainingBenchmarkToolchain
{
    /// <summary>In-process (the natives of the build output, already patched), with room for a loaded shared machine.</summary>
    internal static readonly InProcessEmitToolchain LongInProcess = new(TimeSpan.FromMinutes(30), logOutput: true);
}

/// <summary>
/// One training step (Adam, lr 10⁻³, cross-entropy, shuffled mini-batches taken from a LabeledTensors) of the small MLP
/// 64→256→10 (batch 128) and the big MLP 784→1024→1024→10 (batch 256), through LossLab's <see cref="Trainer"/> and through a
/// bare TorchSharp loop doing the same work (dispose scope, index-select batch, zero_grad, forward, loss, backward, step,
/// loss.item()), at 1 and 2 threads. An invocation is one epoch of <see cref="StepsPerEpoch"/> steps; times are per step.
/// The PyTorch reference is reference/training_step.py. Run:
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*TrainingBenchmarks*'
/// </summary>
[Config(typeof(ShortInProcess))]
public class TrainingBenchmarks
{
    /// <summary>Steps per invocation (one epoch).</summary>
    public const int StepsPerEpoch = 16;

    [Params("small", "big")]
    public string Model { get; set; } = "small";

    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    Mlp model = null!;
    optim.Optimizer optimizer = null!;
    Trainer trainer = null!;
    LabeledTensors data = null!;
    Generator bareShuffler = null!;
    int batchSize;
    int epochs;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(ThreadCount);
        Seeds.Fix(0);
        (int[] widths, batchSize) = Model == "small" ? (new[] { 64, 256, 10 }, 128) : (new[] { 784, 1024, 1024, 10 }, 256);
        int n = StepsPerEpoch * batchSize;
        data = new LabeledTensors(randn(n, widths[0]), randint(0, widths[^1], [n], dtype: ScalarType.Int64));
        model = new Mlp(widths);
        optimizer = optim.Adam(model.parameters(), 1e-3);
        trainer = new Trainer(model, optimizer, Objectives.CrossEntropy(model)) { Seed = 1 };
        bareShuffler = Seeds.Generator(1);
        epochs = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        data.Dispose();
        bareShuffler.Dispose();
    }

    [Benchmark(OperationsPerInvoke = StepsPerEpoch, Description = "LossLab Trainer")]
    public long Library() => trainer.Fit(data, ++epochs, batchSize).Steps;

    [Benchmark(OperationsPerInvoke = StepsPerEpoch, Baseline = true, Description = "bare TorchSharp")]
    public double Bare()
    {
        model.train();
        return BareTorchSharp.Epoch(model, optimizer, data, batchSize, bareShuffler);
    }

    sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess()
        {
            AddJob(Job.Default.WithToolchain(LongInProcess)
                .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9).WithId("short-inprocess"));
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
            AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        }
    }
}

/// <summary>
/// Resident memory of the small-MLP training loop over 10,000 steps (batch 128, Adam): the [GlobalSetup] trains, samples
/// the resident set size every 500 steps, prints the series with the managed heap size and writes
/// artifacts/benchmarks/training-memory-{loop}.json; the benchmark itself times one further epoch. Both loops run in one
/// process, "bare" first, so the "trainer" case starts in a process whose native allocator has already warmed up;
/// compare each case's growth, and the first case's growth with the second's.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*TrainingMemory*'
/// </summary>
[Config(typeof(SingleRun))]
public class TrainingMemoryBenchmark
{
    const int Steps = 10_000, Every = 500, Batch = 128, BatchesPerEpoch = 50;

    /// <summary>"trainer": through <see cref="Trainer"/>; "bare": the same steps in a bare TorchSharp loop, for comparison.</summary>
    [Params("trainer", "bare")]
    public string Loop { get; set; } = "trainer";

    Mlp model = null!;
    optim.Optimizer optimizer = null!;
    Trainer trainer = null!;
    LabeledTensors data = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(1);
        Seeds.Fix(0);
        data = new LabeledTensors(randn(Batch * BatchesPerEpoch, 64), randint(0, 10, [Batch * BatchesPerEpoch], dtype: ScalarType.Int64));
        model = new Mlp([64, 256, 10]);
        optimizer = optim.Adam(model.parameters(), 1e-3);
        var samples = new List<(long Step, double RssMiB)>();
        var probe = new RssProbe(samples, Every);
        trainer = new Trainer(model, optimizer, Objectives.CrossEntropy(model)) { Progress = probe, ProgressEvery = Every };
        samples.Add((0, RssMiB()));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (Loop == "trainer") trainer.Fit(data, Steps / BatchesPerEpoch, Batch);
        else BareLoop(probe);
        double seconds = clock.Elapsed.TotalSeconds;
        var afterWarm = samples.Where(s => s.Step >= 1000).Select(s => s.RssMiB).ToArray();
        double growth = afterWarm.Max() / afterWarm.Min() - 1;
        foreach (var (step, rss) in samples) Console.WriteLine($"// RSS {Loop} step {step,6}: {rss:F1} MiB");
        Console.WriteLine($"// RSS {Loop} managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        Console.WriteLine($"// RSS {Loop} from step 1,000 to {Steps:N0}: min {afterWarm.Min():F1} MiB, max {afterWarm.Max():F1} MiB, spread {100 * growth:F1}%; {Steps / seconds:F0} steps/s");
        string dir = Path.Combine(Repository.Root(), "artifacts", "benchmarks");
        AtomicFile.WriteAllText(Path.Combine(dir, $"training-memory-{Loop}.json"), JsonSerializer.Serialize(new
        {
            loop = Loop, steps = Steps, batch = Batch, model = "64-256-10", threads = 1, stepsPerSecond = Steps / seconds,
            rssMiB = samples.Select(s => new { step = s.Step, rss = s.RssMiB }), spreadFromStep1000 = growth,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    void BareLoop(IProgress<TrainingProgress> probe)
    {
        using var shuffler = Seeds.Generator(0);
        long step = 0;
        model.train();
        while (step < Steps)
        {
            BareTorchSharp.Epoch(model, optimizer, data, Batch, shuffler, () =>
            {
                if (++step % Every == 0) probe.Report(new TrainingProgress(step, Steps, 0, 1, 0, 0, TimeSpan.Zero, 0, null));
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        data.Dispose();
    }

    [Benchmark(OperationsPerInvoke = BatchesPerEpoch)]
    public long OneMoreEpoch() => trainer.Fit(data, trainer.Epoch + 1, Batch).Steps;

    static double RssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return Environment.WorkingSet / (1024.0 * 1024);
    }

    sealed class RssProbe(List<(long, double)> samples, int every) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step % every == 0 && (samples.Count == 0 || samples[^1].Item1 != value.Step)) samples.Add((value.Step, RssMiB()));
        }
    }

    sealed class SingleRun : ManualConfig
    {
        public SingleRun()
        {
            AddJob(Job.Dry.WithToolchain(LongInProcess).WithId("memory"));
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        }
    }
}

/// <summary>
/// The same comparison as <see cref="TrainingBenchmarks"/>, measured as interleaved pairs so that a shared machine's
/// changing load hits both sides alike: each round times one epoch through the <see cref="Trainer"/> and one through the
/// bare loop (alternating which goes first), and the result is the median of the per-round speed ratios. The
/// [GlobalSetup] prints the medians and writes artifacts/benchmarks/training-paired-{model}-{threads}.json.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*TrainingPaired*'
/// </summary>
[Config(typeof(PairedRun))]
public class TrainingPairedBenchmark
{
    [Params("small", "big")]
    public string Model { get; set; } = "small";

    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    readonly TrainingBenchmarks sides = new();

    [GlobalSetup]
    public void Setup()
    {
        sides.Model = Model;
        sides.ThreadCount = ThreadCount;
        sides.Setup();
        int rounds = Model == "small" ? 60 : 8;
        for (int i = 0; i < 3; i++) { sides.Library(); sides.Bare(); }   // warm-up
        var library = new List<double>();
        var bare = new List<double>();
        var ratios = new List<double>();
        var clock = new System.Diagnostics.Stopwatch();
        for (int r = 0; r < rounds; r++)
        {
            double lib = 0, bar = 0;
            for (int k = 0; k < 2; k++)
            {
                bool libraryTurn = (r + k) % 2 == 0;
                clock.Restart();
                if (libraryTurn) sides.Library(); else sides.Bare();
                double rate = TrainingBenchmarks.StepsPerEpoch / clock.Elapsed.TotalSeconds;
                if (libraryTurn) lib = rate; else bar = rate;
            }
            library.Add(lib);
            bare.Add(bar);
            ratios.Add(lib / bar);
        }
        static double Median(List<double> v) { var s = v.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        Console.WriteLine($"// PAIRED {Model} threads={ThreadCount}: library {Median(library):F1} steps/s, bare {Median(bare):F1} steps/s, " +
                          $"median ratio {Median(ratios):F3} over {rounds} rounds; loadavg {load}");
        string dir = Path.Combine(Repository.Root(), "artifacts", "benchmarks");
        AtomicFile.WriteAllText(Path.Combine(dir, $"training-paired-{Model}-{ThreadCount}.json"), JsonSerializer.Serialize(new
        {
            model = Model, threads = ThreadCount, rounds, stepsPerRound = TrainingBenchmarks.StepsPerEpoch,
            libraryMedianStepsPerSecond = Median(library), bareMedianStepsPerSecond = Median(bare), medianRatio = Median(ratios),
            loadavg = load, library, bare,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    [GlobalCleanup]
    public void Cleanup() => sides.Cleanup();

    [Benchmark(OperationsPerInvoke = TrainingBenchmarks.StepsPerEpoch)]
    public long LibraryEpoch() => sides.Library();

    sealed class PairedRun : ManualConfig
    {
        public PairedRun()
        {
            AddJob(Job.Dry.WithToolchain(LongInProcess).WithId("paired"));
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        }
    }
}

/// <summary>The reference the library's loop is measured against: one epoch of plain TorchSharp steps (shuffled batch,
/// zero_grad, forward, cross-entropy, backward, step, loss.item()), one dispose scope per step.</summary>
static class BareTorchSharp
{
    public static double Epoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, LabeledTensors data, int batchSize,
        Generator shuffler, Action? afterStep = null)
    {
        double last = 0;
        using var batches = data.Batches(batchSize, shuffle: true, generator: shuffler).GetEnumerator();
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!batches.MoveNext()) break;
            var (x, y) = batches.Current;
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            afterStep?.Invoke();
        }
        return last;
    }
}
