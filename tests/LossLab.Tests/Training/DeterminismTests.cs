using LossLab.Scaling;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

/// <summary>
/// Same seed, same numbers: convolution gradients against float64 (libtorch's oneDNN convolutions computed wrong and
/// run-to-run varying input gradients for small channel counts), bit-identical parameters after a few hundred steps of
/// each model family trained twice with two threads, and the small CNN's fixed-batch case repeated 50 times. These
/// tests set torch's thread count, so they run alone (the collection is not parallel).
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public class DeterminismTests
{
    [Fact]
    public void Runtime_has_turned_oneDNN_convolutions_off_and_describes_itself()
    {
        TorchRuntime.EnsureConfigured();
        Assert.Equal("off", TorchRuntime.OneDnnConvolutions);
        var d = TorchRuntime.Describe();
        foreach (var key in new[] { "cpu", "cpu_mode", "aten_capability", "torch_threads", "onednn_convolutions" })
            Assert.False(string.IsNullOrWhiteSpace(d[key]), key);
        Assert.Contains(d["aten_capability"], new[] { "DEFAULT", "AVX2", "AVX512", "ZVECTOR", "VSX", "SVE256" });
        if (TorchRuntime.Mode == CpuMode.Portable && System.Runtime.Intrinsics.X86.Avx2.IsSupported
            && Environment.GetEnvironmentVariable(TorchRuntime.CapabilityVariable) == "avx2")
            Assert.Equal("AVX2", d["aten_capability"]);
    }

    [Fact]
    public void The_native_heap_reuses_a_freed_tensor_instead_of_faulting_its_pages_in_again()
    {
        TorchRuntime.EnsureConfigured();
        if (!OperatingSystem.IsLinux()) return;   // the setting is glibc's
        var userSet = TorchRuntime.HeapVariables.FirstOrDefault(n => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n)));
        if (userSet is not null)
        {
            Assert.Equal($"left as set by {userSet}", TorchRuntime.NativeHeap);   // the user's heap settings win
            return;
        }
        var arenas = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX");   // losslab run sets it for a notebook's process
        Assert.Equal("keeps freed blocks (mmap threshold 32 MB, trim threshold 1 GB)" + (string.IsNullOrEmpty(arenas) ? "" : $", MALLOC_ARENA_MAX={arenas}"),
            TorchRuntime.NativeHeap);
        Assert.Equal(TorchRuntime.NativeHeap, TorchRuntime.Describe()["native_heap"]);
        // A step's pattern: a 16 MB block (past glibc's default mmap threshold, 128 KB, below LossLab's 32 MB), then
        // blocks of about that threshold. Under glibc's defaults the 16 MB block's 4,096 pages fault in again at every
        // step (81,943 faults over 20 steps on a cell thread, measured with GLIBC_TUNABLES set so that LossLab leaves the
        // heap alone); kept, about 20. A 48 MB block is past both thresholds, a fresh mapping each time: its faults show
        // that the count sees them (the kernel may map more than one page per fault).
        const int repeats = 20;
        long Faults(long floats)
        {
            void Steps()
            {
                for (int i = 0; i < repeats; i++)
                {
                    using (torch.ones(floats)) { }
                    for (int j = 0; j < 10; j++) using (torch.ones(40_000)) using (torch.ones(33_000)) { }
                }
            }
            Steps();   // the heap grows to hold the blocks once
            long before = MinorFaultsOfThisThread();
            Steps();
            return MinorFaultsOfThisThread() - before;
        }
        long reused = Faults(4L << 20), mapped = Faults(12L << 20);
        const int pages = (4 << 20) * 4 / 4096;
        Assert.True(mapped >= repeats * 3 * pages / 4, $"{mapped} faults over {repeats} fresh 48 MB mappings ({3 * pages} pages each)");
        Assert.True(reused < repeats * pages / 4, $"{reused} faults over {repeats} steps that reuse a 16 MB block ({pages} pages)");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, byte[] usage);

    /// <summary>ru_minflt of getrusage(RUSAGE_THREAD): the calling thread's page faults served without I/O.</summary>
    static long MinorFaultsOfThisThread()
    {
        var usage = new byte[144];   // struct rusage on 64-bit Linux: two timevals, then 14 longs
        Assert.Equal(0, getrusage(1, usage));
        return BitConverter.ToInt64(usage, 32 + 4 * 8);   // after ru_maxrss, ru_ixrss, ru_idrss, ru_isrss
    }

    [Theory]
    [InlineData("portable", CpuMode.Portable)]
    [InlineData("", CpuMode.Portable)]
    [InlineData(null, CpuMode.Portable)]
    [InlineData(" FAST ", CpuMode.Fast)]
    public void Cpu_mode_names_parse(string? text, CpuMode expected) => Assert.Equal(expected, TorchRuntime.ParseMode(text));

    [Fact]
    public void An_unknown_cpu_mode_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ParseMode("turbo"));
        Assert.Contains("LOSSLAB_CPU_MODE", e.Message);
        Assert.Contains("turbo", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Conv2d_gradients_match_float64_for_small_channel_counts(int threads)
    {
        int before = Threads.Current;
        try
        {
            Threads.Set(threads);
            using var g = new Generator(7);
            foreach (int ic in new[] { 1, 3, 4, 8 })
                foreach (int oc in new[] { 4, 8, 24 })
                    foreach (int side in new[] { 4, 8 })
                        for (int repeat = 0; repeat < 2; repeat++)
                        {
                            using var scope = NewDisposeScope();
                            var x = randn([12, ic, side, side], generator: g);
                            var w = randn([oc, ic, 3, 3], generator: g) * 0.3;
                            var b = randn([oc], generator: g);
                            var upstream = randn([12, oc, side, side], generator: g);
                            var (dx, dw) = ConvGradients(x, w, b, upstream);
                            var (dx64, dw64) = ConvGradients(x.to(float64), w.to(float64), b.to(float64), upstream.to(float64));
                            Assert.True(RelativeError(dx, dx64) < 1e-5, $"input gradient, {ic}→{oc} channels, {side}×{side}: relative error {RelativeError(dx, dx64)}");
                            Assert.True(RelativeError(dw, dw64) < 1e-5, $"weight gradient, {ic}→{oc} channels, {side}×{side}: relative error {RelativeError(dw, dw64)}");
                        }
        }
        finally { Threads.Set(before); }
    }

    [Fact]
    public void The_small_cnn_fixed_batch_case_repeats_exactly_50_times_with_two_threads()
    {
        int before = Threads.Current;
        try
        {
            Threads.Set(2);
            double[]? first = null;
            for (int run = 0; run < 50; run++)
            {
                Seeds.Fix(2);
                var cnn = new SmallCnn(8, classes: 3, channels1: 4, channels2: 8, hiddenSize: 16);
                using var x = randn(12, 64);
                using var y = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 });
                var trainer = new Trainer(cnn, optim.Adam(cnn.parameters(), 1e-2), Objectives.CrossEntropy(cnn));
                var losses = Enumerable.Range(0, 11).Select(_ => trainer.TrainStep(x, y)).ToArray();
                Assert.All(losses, l => Assert.True(double.IsFinite(l), $"run {run}: a loss is {l}"));
                Assert.True(losses[^1] < 0.7 * losses[0], $"run {run}: loss went from {losses[0]} to {losses[^1]}");
                if (first is null) first = losses;
                else Assert.Equal(first, losses);   // bit for bit
            }
        }
        finally { Threads.Set(before); }
    }

    public static TheoryData<string> Families => new() { "mlp", "small-cnn", "transformer", "markov-lm" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Two_trainings_with_one_seed_and_two_threads_end_with_identical_parameters(string family)
    {
        int before = Threads.Current;
        try
        {
            Threads.Set(2);
            var a = TrainFamily(family);
            var b = TrainFamily(family);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
                Assert.True(a[i].SequenceEqual(b[i]), $"{family}: parameter tensor {i} differs between two runs with the same seed");
            Assert.All(a, p => Assert.All(p, v => Assert.True(float.IsFinite(v))));
        }
        finally { Threads.Set(before); }
    }

    /// <summary>A few hundred Adam steps of one model family from seed 5; returns every parameter's values.</summary>
    static float[][] TrainFamily(string family)
    {
        Seeds.Fix(5);
        using var gen = Seeds.Generator(5, 1);
        nn.Module<Tensor, Tensor> model;
        Func<Tensor> input;
        Func<Tensor, Tensor> loss;
        int steps;
        switch (family)
        {
            case "mlp":
                model = new Mlp([64, 64, 10]);
                input = () => randn([32, 64], generator: gen);
                loss = x => nn.functional.cross_entropy(model.forward(x), x.sum(1).gt(0).to(int64) + x[.., 0].gt(0).to(int64) * 2);
                steps = 300;
                break;
            case "small-cnn":
                model = new SmallCnn(8, classes: 4, channels1: 4, channels2: 8, hiddenSize: 16);
                input = () => randn([16, 64], generator: gen);
                loss = x => nn.functional.cross_entropy(model.forward(x), x[.., ..32].sum(1).gt(0).to(int64) + x[.., 32..].sum(1).gt(0).to(int64) * 2);
                steps = 200;
                break;
            case "transformer":
                var lm = new TransformerLm(new TransformerConfig(Vocabulary: 16, Context: 8, Width: 16, Depth: 2, Heads: 2, QkNorm: true));
                model = lm;
                input = () => randint(0, 16, [8, 9], generator: gen);
                loss = t => lm.Loss(t[.., ..8], t[.., 1..], zLossWeight: 1e-4);
                steps = 200;
                break;
            case "markov-lm":
                model = new MarkovMlpLm(vocabSize: 16, context: 2, embeddingWidth: 8, width: 32);
                input = () => randint(0, 16, [32, 3], generator: gen);
                loss = t => nn.functional.cross_entropy(model.forward(t[.., ..2]), t[.., 2]);
                steps = 300;
                break;
            default:
                throw new ArgumentException(family);
        }
        var optimizer = optim.Adam(model.parameters(), 3e-3);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var l = loss(input());
            l.backward();
            optimizer.step();
        }
        return [.. model.parameters().Select(p => p.detach().cpu().contiguous().data<float>().ToArray())];
    }

    static (Tensor Dx, Tensor Dw) ConvGradients(Tensor x, Tensor w, Tensor b, Tensor upstream)
    {
        var xx = x.detach().requires_grad_();
        var ww = w.detach().requires_grad_();
        var y = nn.functional.conv2d(xx, ww, b, padding: [1, 1]);
        var grads = autograd.grad([(y * upstream).sum()], [xx, ww]);
        return (grads[0], grads[1]);
    }

    static double RelativeError(Tensor actual, Tensor reference)
    {
        double scale = reference.abs().max().item<double>();
        return (actual.to(float64) - reference).abs().max().item<double>() / Math.Max(scale, 1e-12);
    }
}
