using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLab.Dynamics;
using LossLab.Models;
using LossLab.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Benchmarks;

/// <summary>Cost of one SAM step and of one Hessian-vector product against one plain optimizer step of the same model:
/// an MLP 64→256→10 on a batch of 128 (float32, CPU, one thread as for tiny models). Runs in process, so the native
/// libtorch of the build output is the one loaded.</summary>
[Config(typeof(InProcessConfig))]
public class OptimBenchmarks
{
    sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
    }

    Mlp model = null!;
    Tensor x = null!, y = null!;
    torch.optim.Optimizer sgd = null!;
    Sam sam = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
        model = new Mlp([64, 256, 10]);
        x = torch.randn(128, 64);
        y = torch.randint(0, 10, [128]);
        sgd = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        sam = new Sam(model.parameters(), torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9), rho: 0.05);
    }

    Tensor Loss() => nn.functional.cross_entropy(model.forward(x), y);

    [Benchmark(Baseline = true)]
    public void PlainStep()
    {
        using var scope = torch.NewDisposeScope();
        sgd.zero_grad();
        Loss().backward();
        sgd.step();
    }

    [Benchmark]
    public void SamStep()
    {
        using var scope = torch.NewDisposeScope();
        sam.step(() => { sam.zero_grad(); var l = Loss(); l.backward(); return l; });
    }

    [Benchmark]
    public void GradientAndOneHessianVectorProduct()
    {
        using var scope = torch.NewDisposeScope();
        var ps = model.parameters().ToArray();
        using var h = new HessianOperator(Loss(), ps);
        h.Multiply(ps.Select(p => torch.ones_like(p)).ToArray());
    }

    [Benchmark]
    public void GradientAndTwoHessianVectorProducts()
    {
        using var scope = torch.NewDisposeScope();
        var ps = model.parameters().ToArray();
        using var h = new HessianOperator(Loss(), ps);
        var v = ps.Select(p => torch.ones_like(p)).ToArray();
        h.Multiply(v);
        h.Multiply(v);
    }
}
