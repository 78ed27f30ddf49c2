using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using static LossLab.Benchmarks.TrainingBenchmarkToolchain;

namespace LossLab.Benchmarks;

/// <summary>
/// What the reproducibility settings of <see cref="TorchRuntime"/> cost. One invocation is 16 Adam steps (forward,
/// cross-entropy, backward, step) on fixed random batches, inside one dispose scope per step.
/// <see cref="ConvolutionBackendBenchmarks"/> compares libtorch's own convolution (LossLab's setting) with oneDNN's
/// (wrong input gradients for small channel counts; measured only to price the fix). <see cref="CpuModeBenchmarks"/>
/// is run once per CPU mode, in the same sitting:
///   LOSSLAB_CPU_MODE=portable dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*CpuModeBenchmarks*'
///   LOSSLAB_CPU_MODE=fast     dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*CpuModeBenchmarks*'
/// <see cref="NativeHeapBenchmarks"/> likewise, once with LossLab's heap setting and once with glibc's defaults (LossLab
/// leaves the heap alone when <c>GLIBC_TUNABLES</c> is set):
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*NativeHeap*'
///   GLIBC_TUNABLES=glibc.malloc.check=0 dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*NativeHeap*'
/// </summary>
static class NumericsWorkloads
{
    internal const int Steps = 16;

    internal sealed class Workload(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Func<Tensor>? loss = null)
    {
        readonly optim.Optimizer optimizer = optim.Adam(model.parameters(), 1e-3);

        public double Run()
        {
            double last = 0;
            for (int i = 0; i < Steps; i++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var l = loss is null ? nn.functional.cross_entropy(model.forward(x), y) : loss();
                l.backward();
                optimizer.step();
                last = l.item<float>();
            }
            return last;
        }
    }

    internal static Workload Create(string name)
    {
        Seeds.Fix(0);
        switch (name)
        {
            case "mlp-small": return new(new Mlp([64, 256, 10]), randn(128, 64), randint(0, 10, [128]));
            case "mlp-big": return new(new Mlp([784, 1024, 1024, 10]), randn(256, 784), randint(0, 10, [256]));
            case "cnn-8": return new(new SmallCnn(8), randn(64, 64), randint(0, 10, [64]));
            case "cnn-28": return new(new SmallCnn(28), randn(64, 784), randint(0, 10, [64]));
            case "transformer":
                var lm = new TransformerLm(new TransformerConfig(Vocabulary: 64, Context: 32, Width: 64, Depth: 2, Heads: 4));
                var tokens = randint(0, 64, [16, 33]);
                return new(lm, tokens, tokens, () => lm.Loss(tokens[.., ..32], tokens[.., 1..]));
            default: throw new ArgumentException($"unknown workload '{name}'", nameof(name));
        }
    }

    internal sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(LongInProcess).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("inprocess"));
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
            AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        }
    }
}

/// <summary>Small CNN steps with libtorch's convolution against oneDNN's, at 1 and 2 threads.</summary>
[Config(typeof(NumericsWorkloads.Config))]
public class ConvolutionBackendBenchmarks
{
    [Params("cnn-8", "cnn-28")]
    public string Model { get; set; } = "cnn-8";

    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    [Params(false, true)]
    public bool OneDnn { get; set; }

    NumericsWorkloads.Workload work = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(ThreadCount);
        work = NumericsWorkloads.Create(Model);
        var state = NativeContext.SetOneDnn(OneDnn);
        if (state != (OneDnn ? "on" : "off")) throw new InvalidOperationException("oneDNN switch: " + state);
    }

    [GlobalCleanup]
    public void Cleanup() => NativeContext.SetOneDnn(false);

    [Benchmark(Description = "16 steps")]
    public double Steps() => work.Run();
}

/// <summary>Training steps of four model families at 1 and 2 threads, in the process's CPU mode (LOSSLAB_CPU_MODE).</summary>
[Config(typeof(NumericsWorkloads.Config))]
public class CpuModeBenchmarks
{
    [Params("mlp-small", "mlp-big", "cnn-28", "transformer")]
    public string Model { get; set; } = "mlp-small";

    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    NumericsWorkloads.Workload work = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(ThreadCount);
        work = NumericsWorkloads.Create(Model);
        Console.WriteLine($"// CPU mode {TorchRuntime.Mode}, ATen capability {TorchRuntime.Describe()["aten_capability"]}");
    }

    [Benchmark(Description = "16 steps")]
    public double Steps() => work.Run();
}

/// <summary>
/// The convolution backends as interleaved pairs, robust to a machine whose speed drifts: each round runs 16 steps with
/// libtorch's convolution and 16 with oneDNN's, in alternating order; the median of the per-round time ratios is printed
/// as a "// PAIRED" line. Run: dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*ConvolutionBackendPaired*'
/// </summary>
[Config(typeof(NumericsWorkloads.Config))]
public class ConvolutionBackendPairedBenchmark
{
    [Params("cnn-8", "cnn-28")]
    public string Model { get; set; } = "cnn-8";

    [Params(1, 2)]
    public int ThreadCount { get; set; } = 1;

    NumericsWorkloads.Workload work = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(ThreadCount);
        work = NumericsWorkloads.Create(Model);
        int rounds = Model == "cnn-8" ? 40 : 12;
        var aten = new List<double>();
        var onednn = new List<double>();
        var ratios = new List<double>();
        var clock = new System.Diagnostics.Stopwatch();
        for (int r = -2; r < rounds; r++)   // two warm-up rounds
        {
            double a = 0, o = 0;
            for (int k = 0; k < 2; k++)
            {
                bool useOneDnn = (r + k) % 2 != 0;
                NativeContext.SetOneDnn(useOneDnn);
                clock.Restart();
                work.Run();
                if (useOneDnn) o = clock.Elapsed.TotalMilliseconds; else a = clock.Elapsed.TotalMilliseconds;
            }
            if (r < 0) continue;
            aten.Add(a);
            onednn.Add(o);
            ratios.Add(a / o);
        }
        NativeContext.SetOneDnn(false);
        static double Median(List<double> v) { var s = v.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        Console.WriteLine($"// PAIRED {Model} threads={ThreadCount}: ATen conv {Median(aten):F1} ms, oneDNN conv {Median(onednn):F1} ms per 16 steps, " +
                          $"median ratio ATen/oneDNN {Median(ratios):F3} over {rounds} rounds; loadavg {load}");
    }

    [Benchmark(Description = "16 steps, ATen convolution")]
    public double Steps() => work.Run();
}

/// <summary>
/// Training under the process's native-heap setting (<see cref="TorchRuntime.NativeHeap"/>), at one thread as in the
/// suite: 16 steps of the small MLP and of the 28×28 CNN, and the Markov LM run of NB3.2 (width 64, 400 AdamW steps of
/// batch 256, the held-out loss on 16,384 tokens every 10 steps).
/// </summary>
[Config(typeof(NumericsWorkloads.Config))]
public class NativeHeapBenchmarks
{
    [Params("mlp-small", "cnn-28", "markov-lm-400")]
    public string Model { get; set; } = "mlp-small";

    NumericsWorkloads.Workload? work;
    LossLab.Data.ZipfMarkovChain chain = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(1);
        Console.WriteLine($"// native heap: {TorchRuntime.NativeHeap}");
        if (Model == "markov-lm-400") chain = new LossLab.Data.ZipfMarkovChain(128, 1.1, order: 1, seed: 0);
        else work = NumericsWorkloads.Create(Model);
    }

    [Benchmark]
    public double Run()
    {
        if (work is not null) return work.Run();
        var settings = new LossLab.Scaling.MarkovLmSettings(Context: 2, EmbeddingWidth: 16, BatchSize: 256, EvaluationTokens: 16384);
        return LossLab.Scaling.MarkovLmCurve.Train([chain], 64, 400, LossLab.Optim.Schedules.LinearWarmup(3e-3, 20), seed: 1,
            evaluateEvery: 10, settings).Final();
    }
}

/// <summary>
/// Two seeds trained at once on two threads, as a notebook running alone trains them (<see cref="Threads.Workers"/>),
/// under the allocator the process runs on (<see cref="NativeAllocator"/>; the benchmark prints it). Each thread trains
/// its own NB4.2 MLP (32 → 64 → 64 → 10, ReLU) full-batch on 1,000 points with SGD and momentum, 64 steps; "one after
/// another" trains the same two on the calling thread. Run once per allocator, in the same sitting:
///   MALLOC_ARENA_MAX=1 dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*SeedWorkerHeap*'
///   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1 \
///     dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*SeedWorkerHeap*'
/// </summary>
[Config(typeof(NumericsWorkloads.Config))]
public class SeedWorkerHeapBenchmarks
{
    const int StepsPerSeed = 64;

    sealed class Seed
    {
        readonly Mlp model;
        readonly Tensor x, y;
        readonly optim.Optimizer optimizer;

        public Seed(int seed)
        {
            Seeds.Fix(seed);
            model = new Mlp([32, 64, 64, 10]);
            x = randn(1000, 32);
            y = randint(0, 10, [1000]);
            optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-3);
        }

        public double Train()
        {
            double last = 0;
            for (int i = 0; i < StepsPerSeed; i++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var l = nn.functional.cross_entropy(model.forward(x), y);
                l.backward();
                optimizer.step();
                last = l.item<float>();
            }
            return last;
        }
    }

    Seed first = null!, second = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Set(1);
        Console.WriteLine($"// native heap: {TorchRuntime.NativeHeap}");
        first = new Seed(1);
        second = new Seed(2);
    }

    [Benchmark(Baseline = true, Description = "two seeds, one after another")]
    public double OneAfterAnother() => first.Train() + second.Train();

    [Benchmark(Description = "two seeds on two threads")]
    public double TwoThreads()
    {
        double a = 0, b = 0;
        var t1 = new Thread(() => { torch.set_num_threads(1); a = first.Train(); });
        var t2 = new Thread(() => { torch.set_num_threads(1); b = second.Train(); });
        t1.Start(); t2.Start();
        t1.Join(); t2.Join();
        return a + b;
    }
}
