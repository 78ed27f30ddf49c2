using LossLab.Experiments.MetricLearning;
using LossLab.Losses.Pairs;
using LossLab.Miners;

namespace LossLab.Tests.Experiments.MetricLearning;

public class LearningRateSearchTests
{
    [Fact]
    public void Best_takes_the_highest_mean_and_the_smaller_rate_on_a_tie()
    {
        Assert.Equal(1e-3, LearningRateSearch.Best([3e-4, 1e-3, 3e-3], [0.80, 0.85, 0.84]));
        Assert.Equal(3e-4, LearningRateSearch.Best([3e-3, 3e-4, 1e-3], [0.85, 0.85, 0.10]));
    }

    [Fact]
    public void Best_skips_non_finite_means_and_falls_back_to_the_smallest_rate()
    {
        Assert.Equal(3e-4, LearningRateSearch.Best([3e-4, 1e-3, 3e-3], [0.5, double.NaN, double.NaN]));
        Assert.Equal(3e-4, LearningRateSearch.Best([1e-3, 3e-4], [double.NaN, double.NaN]));
    }

    [Fact]
    public void Arms_keep_the_method_and_set_each_rate()
    {
        var miner = new BatchHardMiner();
        var methods = new[] { EmbeddingMethod.Loss("triplet", () => new TripletMarginLoss(0.2), 1e-3, miner) with { BatchSize = 16 } };
        var arms = LearningRateSearch.Arms(methods, [3e-4, 3e-3]);
        Assert.Equal(["triplet @ 0.0003", "triplet @ 0.003"], arms.Select(a => a.Name));
        Assert.Equal([3e-4, 3e-3], arms.Select(a => a.LearningRate));
        Assert.All(arms, a => { Assert.Same(miner, a.Miner); Assert.Equal(16, a.BatchSize); });
    }

    [Fact]
    public void Arms_reject_an_empty_or_repeated_grid()
    {
        var methods = new[] { EmbeddingMethod.Loss("c", () => new ContrastiveLoss(0, 1), 1e-3) };
        Assert.Throws<ArgumentException>(() => LearningRateSearch.Arms(methods, []));
        Assert.Throws<ArgumentException>(() => LearningRateSearch.Arms(methods, [1e-3, 1e-3]));
        Assert.Throws<ArgumentException>(() => LearningRateSearch.Arms(methods, [0.0]));
    }
}
