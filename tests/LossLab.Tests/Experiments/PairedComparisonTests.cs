using LossLab.Experiments;

namespace LossLab.Tests.Experiments;

public class PairedComparisonTests
{
    [Fact]
    public void Statistics_match_hand_computed_values()
    {
        // a = (0.80, 0.75, 0.90, 0.70, 0.85), b = (0.70, 0.78, 0.82, 0.70, 0.80)
        // d = (0.10, −0.03, 0.08, 0, 0.05): mean 0.04, wins 3, losses 1, ties 1
        // Σ(d − d̄)² = 0.0036 + 0.0049 + 0.0016 + 0.0016 + 0.0001 = 0.0118; s = √(0.0118/4) = 0.0543139…
        var p = new PairedComparison([0.80, 0.75, 0.90, 0.70, 0.85], [0.70, 0.78, 0.82, 0.70, 0.80], a: "new", b: "old", metric: "acc");
        Assert.Equal(5, p.Count);
        Assert.Equal(0.04, p.MeanDifference, 12);
        Assert.Equal(0.80, p.MeanA, 12);
        Assert.Equal(0.76, p.MeanB, 12);
        Assert.Equal((3, 1, 1), (p.Wins, p.Losses, p.Ties));
        Assert.Equal(Math.Sqrt(0.0118 / 4), p.StdDifference, 12);
        // t_{0.975, 4} = 2.776445105 (tables); half width = 2.776445105 · 0.0543139 / √5
        double half = 2.776445105 * Math.Sqrt(0.0118 / 4) / Math.Sqrt(5);
        var (low, high) = p.TInterval();
        Assert.Equal(0.04 - half, low, 8);
        Assert.Equal(0.04 + half, high, 8);
        // sign test, n = 4 non-ties, k = min(3, 1) = 1: 2·(1 + 4)/16 = 0.625
        Assert.Equal(0.625, p.SignTestPValue, 12);
    }

    [Fact]
    public void Lower_is_better_swaps_wins_and_losses_but_not_the_difference()
    {
        var p = new PairedComparison([0.1, 0.2, 0.3], [0.2, 0.1, 0.5], higherIsBetter: false);
        Assert.Equal((2, 1, 0), (p.Wins, p.Losses, p.Ties));
        Assert.Equal((-0.1 + 0.1 - 0.2) / 3, p.MeanDifference, 12);
    }

    [Fact]
    public void Sign_test_of_five_wins_of_five_is_one_sixteenth_and_all_ties_give_one()
    {
        Assert.Equal(2.0 / 32, new PairedComparison([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]).SignTestPValue, 12);
        Assert.Equal(1, new PairedComparison([1, 2], [1, 2]).SignTestPValue);
    }

    [Fact]
    public void One_pair_has_no_spread_and_bad_input_is_rejected()
    {
        var one = new PairedComparison([1.0], [0.5]);
        Assert.True(double.IsNaN(one.StdDifference));
        Assert.True(double.IsNaN(one.TInterval().Low));
        Assert.Equal("valuesB", Assert.Throws<ArgumentException>(() => new PairedComparison([1.0, 2.0], [1.0])).ParamName);
        Assert.Equal("valuesA", Assert.Throws<ArgumentException>(() => new PairedComparison([], [])).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() => one.TInterval(1.0)).ParamName);
    }
}
