using LossLab.Experiments.Unlearning;

namespace LossLab.Tests.Experiments.Unlearning;

public class MatchedForgettingTests
{
    static TrajectoryPoint P(int step, double fa, double ra) => new(step, fa, ra);

    [Fact]
    public void Both_fronts_are_read_at_the_deepest_forgetting_both_reach()
    {
        // A reaches FA 0 on a plateau whose RA varies; B only reaches FA 4. FA* = 4: A's best RA at FA ≤ 4 is 90 (the
        // plateau's best point, at FA 0, is at or below 4), B's is 85.
        var a = new[] { P(0, 95, 97), P(1, 4, 80), P(2, 0, 90), P(3, 0, 70) };
        var b = new[] { P(0, 95, 97), P(1, 10, 92), P(2, 4, 85) };
        var (level, bestA, bestB) = MatchedForgetting.Fronts(a, b);
        Assert.Equal(4, level);
        Assert.Equal(90, bestA);
        Assert.Equal(85, bestB);
        // The rule is symmetric: swapping the sides swaps the readings.
        Assert.Equal((4.0, 85.0, 90.0), MatchedForgetting.Fronts(b, a));
        // A one-sided reading (the best RA over A's whole FA = 0 plateau against B at its own deepest point) is what the
        // common level prevents: at FA* = 0 B has no point at all.
        Assert.Null(MatchedForgetting.BestAt(b, 0));
    }

    [Fact]
    public void A_front_is_not_judged_per_point_against_the_other_sides_best_over_a_whole_plateau()
    {
        // TIES merges at λ = 0.3 and 0.7 both forget completely (FA 0) with RA 95 and 60; the interpolation path lies on
        // the FA = 0 plateau with RA 70, 90, 65. Each side can choose its best point at the common level FA* = 0:
        // TIES 95 against the path's 90, a gap of +5 for TIES.
        var ties = new[] { P(3, 0, 95), P(7, 0, 60) };
        var path = new[] { P(0, 0, 70), P(5, 0, 90), P(10, 0, 65) };
        var (level, tiesRa, pathRa) = MatchedForgetting.Fronts(ties, path);
        Assert.Equal((0.0, 95.0, 90.0), (level, tiesRa, pathRa));
        Assert.Equal(5.0, tiesRa - pathRa);
        // The rule it replaces read each TIES point against the path's best RA anywhere on the plateau (90) and averaged:
        // ((95 − 90) + (60 − 90)) / 2 = −12.5, judging TIES by its worst point while the path kept its best.
    }

    [Fact]
    public void Trajectories_are_read_at_their_first_checkpoint_at_or_below_the_level()
    {
        var a = new[] { P(20, 3, 60), P(0, 95, 97), P(10, 20, 90), P(30, 1, 50) };   // out of step order on purpose
        var b = new[] { P(0, 95, 97), P(10, 5, 93), P(20, 2, 91) };
        var (level, first, second) = MatchedForgetting.Trajectories(a, b);
        Assert.Equal(2, level);          // max(min 1, min 2)
        Assert.Equal(30, first.Step);    // A first reaches FA ≤ 2 at step 30
        Assert.Equal(20, second.Step);
        Assert.Null(MatchedForgetting.FirstAt(b, 1));
        Assert.Equal(10, MatchedForgetting.FirstAt(b, 5)!.Value.Step);
    }

    [Fact]
    public void Empty_sides_and_non_finite_points_are_named()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => MatchedForgetting.Level([], [P(0, 1, 1)])).ParamName);
        var e = Assert.Throws<ArgumentException>(() => MatchedForgetting.BestAt([P(7, double.NaN, 50)], 3));
        Assert.Contains("step 7", e.Message);
    }
}
