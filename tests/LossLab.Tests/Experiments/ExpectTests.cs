using LossLab.Experiments;

namespace LossLab.Tests.Experiments;

/// <summary>An expectation writes a claim's test and its "expected" text: the records it gives equal the records of the
/// loose-argument overloads, its numbers are hand-checked, and bad expectations are refused.</summary>
public class ExpectTests
{
    const double T2 = 4.302653;   // t(0.975, 2)

    static PairedComparison Comparison() =>
        new([0.74, 0.78, 0.82], [0.70, 0.72, 0.74], true, "LDAM-DRW", "CE", "balanced accuracy", [1, 2, 3]);

    [Fact]
    public void A_paired_claim_from_an_expectation_in_points_tests_the_per_seed_gains_times_100()
    {
        var claims = new Claims(RunScale.Default);
        var r = claims.Paired("gain", "p", "LDAM-DRW beats CE", Comparison(), Expect.Above(3).InPoints());
        // gains 4, 6, 8 points: mean 6, sd 2, t interval 6 ± T2·2/√3 = [1.032, 10.968] contains 3: inconclusive.
        Assert.Equal(6, r.Test!.Estimate, 9);
        Assert.Equal(6 - T2 * 2 / Math.Sqrt(3), r.Test.Lower, 4);
        Assert.Equal(3, r.Test.Threshold);
        Assert.Equal(">", r.Test.Direction);
        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Equal("> 3 points, the whole 95 % interval of the paired difference of balanced accuracy, LDAM-DRW − CE (points)", r.Expected);

        var loose = new Claims(RunScale.Default).Paired("gain", "p", "LDAM-DRW beats CE", Comparison(), threshold: 3, direction: ">",
            scaleBy: 100, unit: " points");
        Assert.Equal(loose.Expected, r.Expected);
        Assert.Equal(loose.Observed, r.Observed);
        Assert.Equal(loose.Test, r.Test);
    }

    [Fact]
    public void A_one_sample_claim_scales_the_sample_and_a_lower_threshold_can_hold()
    {
        var claims = new Claims(RunScale.Default);
        // values −0.02, −0.03, −0.025 ×100 = −2, −3, −2.5: mean −2.5, sd 0.5, upper −2.5 + T2·0.5/√3 = −1.258 < −1: held.
        var r = claims.OneSample("drop", "p", "x falls", [-0.02, -0.03, -0.025], "change of x", Expect.Below(-1).InPoints());
        Assert.Equal(-2.5, r.Test!.Estimate, 9);
        Assert.Equal(-2.5 + T2 * 0.5 / Math.Sqrt(3), r.Test.Upper, 4);
        Assert.Equal(Verdict.Held, r.Verdict);
        Assert.Equal("< -1 points, the whole 95 % interval of the change of x", r.Expected);
    }

    [Fact]
    public void Needing_a_larger_scale_leaves_the_claim_not_run_with_the_reason()
    {
        var claims = new Claims(RunScale.Default);
        var r = claims.Paired("gain", "p", "c", Comparison(), Expect.Above(0).Needing(RunScale.Paper));
        Assert.Equal(Verdict.NotRun, r.Verdict);
        Assert.Equal("needs the paper scale", r.Reason);
    }

    [Fact]
    public void A_claim_needing_a_larger_scale_gives_that_reason_even_with_the_one_seed_this_scale_ran()
    {
        var claims = new Claims(RunScale.Default);
        var needing = claims.Paired("gain", "p", "c", [2.0], [1.0], "x", Expect.Above(0).Needing(RunScale.Paper));
        var plain = claims.Paired("gain2", "p", "c", [2.0], [1.0], "x", Expect.Above(0));
        Assert.Equal(Verdict.NotRun, needing.Verdict);
        Assert.Equal("needs the paper scale", needing.Reason);
        Assert.Equal(Verdict.NotRun, plain.Verdict);
        Assert.Equal("1 paired seed: no interval; a claim needs at least 3 replicates", plain.Reason);
    }

    [Fact]
    public void The_interval_method_reaches_the_test()
    {
        var claims = new Claims(RunScale.Default);
        var r = claims.OneSample("m", "p", "c", [0.3, 1.1, 0.8, 1.9, 0.5, 1.4, 0.9, 1.2], "x", Expect.Above(0).Using(IntervalMethod.SignTest));
        Assert.Equal(0.3, r.Test!.Lower);
        Assert.Equal(1.9, r.Test.Upper);
        Assert.Equal(Verdict.Held, r.Verdict);
    }

    [Fact]
    public void Bad_expectations_are_refused_with_the_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Expect.Above(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Expect.Below(0).In(" %", 0));
        var claims = new Claims(RunScale.Default);
        double[] x = [1, 2, 3, 4, 5], y = [2, 1, 4, 3, 5];
        var e = Assert.Throws<ArgumentException>(() => claims.RankCorrelation("r", "p", "c", x, y, "ρ", Expect.Above(0).InPoints()));
        Assert.Contains("no unit", e.Message);
        Assert.Throws<ArgumentException>(() => claims.Slope("s", "p", "c", x, y, "slope", Expect.Above(0).In(" %", 100)));
        Assert.Equal("> 0.5 %", Expect.Above(0.5).In(" %").ToString());
    }
}
