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
    public void A_forget_accuracy_plateau_is_read_the_same_way_for_both_fronts()
    {
        // TIES merges (λ grid) and the interpolation path of one seed, as in NB2.5: both fronts reach FA = 0, and both have
        // a plateau at FA = 0 along which RA varies. FA* = max(0, 0) = 0; at FA ≤ 0 TIES keeps at best 90 (its merge at
        // (0, 90)), the interpolation at best 89 (its point at (0, 89)): TIES ahead by 1 point.
        // The old rule read each TIES merge on its own against the interpolation's best RA over the whole FA = 0 plateau
        // (89 for both merges at FA 0, the maximum over the plateau's segments), so the plateau counted as one best point
        // on the interpolation's side and as every point on the TIES side: merges (0, 90) and (0, 60) against 89, a
        // TIES reading of (90 + 60) / 2 = 75 against 89, i.e. −14 points and the opposite verdict.
        var ties = new[] { P(0, 95, 97), P(0, 0, 90), P(0, 0, 60) };
        var path = new[] { P(0, 95, 97), P(0, 40, 94), P(0, 0, 89), P(0, 0, 80), P(0, 0, 70) };
        var (level, tiesRa, pathRa) = MatchedForgetting.Fronts(ties, path);
        Assert.Equal(0, level);
        Assert.Equal(90, tiesRa);
        Assert.Equal(89, pathRa);
        Assert.Equal(1, tiesRa - pathRa);
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
