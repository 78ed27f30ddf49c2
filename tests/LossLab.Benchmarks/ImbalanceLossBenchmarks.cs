using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Benchmarks;

/// <summary>
/// Forward plus backward of the imbalance losses on a (256, 100) float32 batch, against torch's own
/// <c>cross_entropy</c> as the baseline: LossLab's cross-entropy (class weights and label smoothing), LDAM, focal,
/// logit-adjusted CE and Poly-1. Run:
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*ImbalanceLossBenchmarks*'
/// </summary>
[Config(typeof(ShortInProcess))]
public class ImbalanceLossBenchmarks
{
    const int N = 256, C = 100;
    Tensor logits = null!, labels = null!, weights = null!;
    CrossEntropyLoss crossEntropy = null!;
    LdamLoss ldam = null!;
    FocalLoss focal = null!;
    LogitAdjustedCrossEntropyLoss logitAdjusted = null!;
    Poly1Loss poly1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        var generator = torch.manual_seed(0);
        logits = torch.randn(new long[] { N, C }, generator: generator).DetachFromDisposeScope();
        labels = torch.randint(C, new long[] { N }, generator: generator).DetachFromDisposeScope();
        var counts = Enumerable.Range(0, C).Select(c => (long)Math.Max(1, 500 * Math.Pow(0.01, c / (C - 1.0)))).ToArray();
        var w = ClassBalancedWeights.EffectiveNumber(counts, 0.999);
        weights = torch.tensor(w, ScalarType.Float32).DetachFromDisposeScope();
        crossEntropy = new CrossEntropyLoss(w, 0.1);
        ldam = new LdamLoss(counts, classWeights: w);
        focal = new FocalLoss(2.0);
        logitAdjusted = new LogitAdjustedCrossEntropyLoss(counts);
        poly1 = new Poly1Loss(1.0);
    }

    double Step(Func<Tensor, Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        var x = logits.detach().requires_grad_(true);
        var value = loss(x);
        value.backward();
        return value.ToDouble();
    }

    [Benchmark(Baseline = true)]
    public double TorchCrossEntropy() => Step(x => nn.functional.cross_entropy(x, labels, weights, label_smoothing: 0.1));

    [Benchmark]
    public double LossLabCrossEntropy() => Step(x => crossEntropy.call(x, labels));

    [Benchmark]
    public double Ldam() => Step(x => ldam.call(x, labels));

    [Benchmark]
    public double Focal() => Step(x => focal.call(x, labels));

    [Benchmark]
    public double LogitAdjusted() => Step(x => logitAdjusted.call(x, labels));

    [Benchmark]
    public double Poly1() => Step(x => poly1.call(x, labels));

    [GlobalCleanup]
    public void Cleanup()
    {
        logits.Dispose();
        labels.Dispose();
        weights.Dispose();
    }

    /// <summary>In-process, one launch, 3 warm-up and 9 measured iterations.</summary>
    sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9));
            AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
            AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        }
    }
}
