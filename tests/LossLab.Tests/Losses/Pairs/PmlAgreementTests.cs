using LossLab.Losses.Pairs;
using LossLab.Miners;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

/// <summary>The batch pytorch-metric-learning 2.8.1 was timed on (reference/baselines.md §4): torch.manual_seed(0),
/// randn(256, 128) float32, labels i mod 32 (or i mod 128). The loss values PML printed there are the references.</summary>
public class PmlAgreementTests
{
    static (Tensor E, Tensor Y) Batch(int classes)
    {
        // A generator of its own, seeded as torch.manual_seed(0) seeds the global one: the same draws, whatever other
        // tests running in parallel take from the global generator.
        using var generator = new torch.Generator(0);
        var e = torch.randn(256, 128, dtype: ScalarType.Float32, generator: generator);
        var y = torch.arange(256, dtype: ScalarType.Int64) % classes;
        return (e, y);
    }

    [Fact]
    public void Values_match_pytorch_metric_learning_on_its_benchmark_batch()
    {
        var (e, y) = Batch(32);
        var ms = Value(new MultiSimilarityLoss(2, 50, 0.5).call(e, y));
        var circle = Value(new CircleLoss(0.4, 80).call(e, y));
        var triplet = Value(new TripletMarginLoss(0.2, miner: new BatchHardMiner()).call(e, y));
        var ntxent = Value(new NTXentLoss(0.07).call(e, y));
        var (e2, y2) = Batch(128);
        var ntxent128 = Value(new NTXentLoss(0.07).call(e2, y2));
        Close(1.50591, ms, ScalarType.Float32, 1e-5);
        Close(81.7783, circle, ScalarType.Float32, 1e-5);
        Close(0.471644, triplet, ScalarType.Float32, 1e-5);
        Close(6.34640, ntxent, ScalarType.Float32, 1e-5);
        Close(6.39795, ntxent128, ScalarType.Float32, 1e-5);
    }
}
