using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using LossLab.Losses.Pairs;
using LossLab.Miners;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Benchmarks;

/// <summary>Forward + backward of the pair losses on pytorch-metric-learning's benchmark batch (reference/baselines.md §4):
/// torch.manual_seed(0), randn(256, 128) float32, labels i mod 32 (or i mod 128); each call clones the batch with
/// requires_grad, runs [miner +] loss + backward inside one dispose scope. PML's medians on this machine (1 / 2 threads):
/// multi-similarity 3.06 / 2.20 ms, circle 5.76 / 3.93, triplet + batch-hard 3.48 / 2.50, NT-Xent 32 × 8 ≈ 4,035 / 2,036,
/// NT-Xent 128 × 2 396 / 229. Run: dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*PairLoss*'</summary>
[InProcess]
[MedianColumn]
[WarmupCount(5)]
[IterationCount(15)]
[MinIterationTime(200)]
public class PairLossBenchmarks
{
    Tensor base32 = null!, base128 = null!, labels32 = null!, labels128 = null!;
    readonly MultiSimilarityLoss multiSimilarity = new(2, 50, 0.5);
    readonly CircleLoss circle = new(0.4, 80);
    readonly TripletMarginLoss triplet = new(0.2, miner: new BatchHardMiner());
    readonly NTXentLoss ntXent = new(0.07);

    /// <summary>Intra-op threads of libtorch.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        torch.manual_seed(0);
        base32 = torch.randn(256, 128, dtype: ScalarType.Float32).DetachFromDisposeScope();
        base128 = base32.clone().DetachFromDisposeScope();
        labels32 = (torch.arange(256, dtype: ScalarType.Int64) % 32).DetachFromDisposeScope();
        labels128 = (torch.arange(256, dtype: ScalarType.Int64) % 128).DetachFromDisposeScope();
    }

    static double Step(nn.Module<Tensor, Tensor, Tensor> loss, Tensor batch, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        var e = batch.clone().requires_grad_(true);
        var value = loss.call(e, labels);
        value.backward();
        return value.item<float>();
    }

    [Benchmark] public double MultiSimilarity() => Step(multiSimilarity, base32, labels32);
    [Benchmark] public double Circle() => Step(circle, base32, labels32);
    [Benchmark] public double TripletBatchHard() => Step(triplet, base32, labels32);
    [Benchmark] public double NTXent_32x8() => Step(ntXent, base32, labels32);
    [Benchmark] public double NTXent_128x2() => Step(ntXent, base128, labels128);
}
