using LossLab.Experiments;

namespace LossLab.Tests.Experiments;

/// <summary>Claims record version 2: intervals against hand-computed values, the verdict rule, the gates (smoke,
/// needs, n &lt; 3, baseline) and bad input.</summary>
public class ClaimsTests
{
    // Student-t quantiles t(0.975, df) from tables: df = 2, 4, 9.
    const double T2 = 4.302653, T4 = 2.776445, T9 = 2.262157;

    [Fact]
    public void A_t_interval_of_the_mean_matches_the_formula_computed_by_hand()
    {
        double[] x = [1, 2, 3, 4, 5];   // mean 3, sd √2.5
        var r = ClaimStatistics.Mean(x);
        Assert.Equal(3, r.Estimate, 12);
        Assert.Equal(3 - T4 * Math.Sqrt(2.5) / Math.Sqrt(5), r.Lower, 5);
        Assert.Equal(3 + T4 * Math.Sqrt(2.5) / Math.Sqrt(5), r.Upper, 5);
        Assert.Equal(5, r.N);

        double[] y = [0.1, -0.3, 0.4, 0.2, 0.0, 0.5, -0.1, 0.3, 0.2, 0.1];
        double m = y.Average(), sd = Math.Sqrt(y.Sum(v => (v - m) * (v - m)) / 9);
        var ry = ClaimStatistics.Mean(y);
        Assert.Equal(m - T9 * sd / Math.Sqrt(10), ry.Lower, 5);
    }

    [Fact]
    public void A_paired_difference_is_the_mean_of_per_seed_differences()
    {
        var r = ClaimStatistics.PairedDifference([0.74, 0.78, 0.82], [0.70, 0.72, 0.74]);
        Assert.Equal(0.06, r.Estimate, 12);
        Assert.Equal(0.06 - T2 * 0.02 / Math.Sqrt(3), r.Lower, 6);
        Assert.Equal("paired t", r.Method);
    }

    [Fact]
    public void The_bootstrap_interval_is_seeded_and_brackets_the_mean_and_the_sign_test_uses_order_statistics()
    {
        double[] x = [0.3, 1.1, 0.8, 1.9, 0.5, 1.4, 0.9, 1.2];
        var a = ClaimStatistics.Mean(x, IntervalMethod.Bootstrap, seed: 3);
        var b = ClaimStatistics.Mean(x, IntervalMethod.Bootstrap, seed: 3);
        Assert.Equal(a, b);
        Assert.True(a.Lower < x.Average() && x.Average() < a.Upper);
        Assert.True(a.Lower >= x.Min() && a.Upper <= x.Max());

        // n = 8: P(Bin(8, ½) ≤ 0) = 1/256, ≤ 1: 9/256; coverage of [x(2), x(7)] = 1 − 18/256 = 0.9297 < 0.95,
        // so the interval is [x(1), x(8)] with coverage 1 − 2/256.
        var s = ClaimStatistics.Mean(x, IntervalMethod.SignTest);
        Assert.Equal(0.3, s.Lower);
        Assert.Equal(1.9, s.Upper);
        Assert.Equal(1 - 2.0 / 256, s.Level, 12);
        Assert.Equal((0.9 + 1.1) / 2, s.Estimate, 12);
    }

    [Fact]
    public void Spearman_matches_an_explicit_rank_loop_with_ties_and_its_interval_the_bonett_wright_formula()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7];
        double[] y = [2, 1, 4, 4, 6, 5, 9];   // a tie at 4
        // ranks of y by hand: 2→2, 1→1, 4→3.5, 4→3.5, 6→6, 5→5, 9→7
        double[] ry = [2, 1, 3.5, 3.5, 6, 5, 7];
        double mx = 4, my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < 7; i++) { sxy += (x[i] - mx) * (ry[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (ry[i] - my) * (ry[i] - my); }
        double rho = sxy / Math.Sqrt(sxx * syy);
        var r = ClaimStatistics.Spearman(x, y);
        Assert.Equal(rho, r.Estimate, 12);
        double half = 1.959964 * Math.Sqrt((1 + rho * rho / 2) / 4);
        Assert.Equal(Math.Tanh(Math.Atanh(rho) - half), r.Lower, 5);
        Assert.Equal(Math.Tanh(Math.Atanh(rho) + half), r.Upper, 5);
    }

    [Fact]
    public void A_slope_interval_matches_the_textbook_formula()
    {
        double[] x = [0, 1, 2, 3, 4];
        double[] y = [0.1, 1.9, 4.2, 5.8, 8.1];
        // by hand: x̄ = 2, Sxx = 10, Sxy = Σ(x−2)(y−ȳ)
        double my = y.Average(), sxy = 0;
        for (int i = 0; i < 5; i++) sxy += (x[i] - 2) * (y[i] - my);
        double b = sxy / 10, a0 = my - 2 * b, rss = 0;
        for (int i = 0; i < 5; i++) rss += Math.Pow(y[i] - a0 - b * x[i], 2);
        double tq = 3.182446;   // t(0.975, 3)
        var r = ClaimStatistics.Slope(x, y);
        Assert.Equal(b, r.Estimate, 12);
        Assert.Equal(b - tq * Math.Sqrt(rss / 3 / 10), r.Lower, 5);
    }

    [Theory]
    [InlineData(0.5, 1.5, ">", 0, Verdict.Held)]
    [InlineData(-1.5, -0.5, ">", 0, Verdict.Failed)]
    [InlineData(-0.5, 0.5, ">", 0, Verdict.Inconclusive)]
    [InlineData(-1.5, -0.5, "<", 0, Verdict.Held)]
    [InlineData(0.5, 1.5, "<", 0, Verdict.Failed)]
    [InlineData(0.9, 2.0, "<", 1, Verdict.Inconclusive)]
    public void The_verdict_is_the_position_of_the_whole_interval_against_the_threshold(double lo, double hi, string direction, double threshold, Verdict expected) =>
        Assert.Equal(expected, new EffectTest("x", (lo + hi) / 2, lo, hi, 0.95, threshold, direction, 5, "t").Decide());

    [Fact]
    public void Claims_decide_only_at_default_scale_or_above_with_three_or_more_replicates_and_a_beaten_baseline()
    {
        double[] a = [0.80, 0.82, 0.85, 0.81, 0.84], b = [0.70, 0.71, 0.74, 0.72, 0.73];
        var smoke = new Claims("smoke").Paired("x", "p", "a beats b", a, b, "diff");
        Assert.Equal(Verdict.NotRun, smoke.Verdict);
        Assert.NotNull(smoke.Test);   // the numbers are still recorded

        var run = new Claims("default");
        Assert.Equal(Verdict.Held, run.Paired("held", "p", "a beats b", a, b, "diff").Verdict);
        Assert.Equal(Verdict.Failed, run.Paired("failed", "p", "b beats a", b, a, "diff").Verdict);
        Assert.Equal(Verdict.NotRun, run.Paired("paper", "p", "at paper scale", a, b, "diff", needs: "paper").Verdict);
        var two = run.Paired("two", "p", "two seeds", [0.8, 0.9], [0.1, 0.2], "diff");
        Assert.Equal(Verdict.NotRun, two.Verdict);
        Assert.Equal("2 replicates: a claim needs at least 3", two.Reason);
        var notBeaten = run.Paired("baseline", "p", "a beats b", a, b, "diff", baseline: (false, "the model is at chance"));
        Assert.Equal(Verdict.NotRun, notBeaten.Verdict);
        Assert.Equal("not judged: the model is at chance", notBeaten.Reason);
        var straddles = run.Paired("straddles", "p", "a beats c", a, [0.82, 0.80, 0.86, 0.79, 0.85], "diff");
        Assert.Equal(Verdict.Inconclusive, straddles.Verdict);
        Assert.Equal("the interval contains the threshold 0", straddles.Reason);
        Assert.Equal(0.824, straddles.Values["mean_a"], 12);   // raw means, unscaled
        Assert.Equal((1, 1, 1, 3), run.Totals);
        var few = run.RankCorrelation("few", "p", "three points", [1, 2, 3], [3, 2, 1], "ρ", 0, "<");
        Assert.Equal(Verdict.NotRun, few.Verdict);
        Assert.Contains("at least 4", few.Reason);
        Assert.Equal(Verdict.NotRun, run.RankCorrelation("flat", "p", "constant y", [1, 2, 3, 4, 5], [2, 2, 2, 2, 2], "ρ", 0, "<").Verdict);
        Assert.Equal(Verdict.NotRun, run.Slope("two-points", "p", "two points", [1, 2], [3, 4], "slope").Verdict);
        Assert.Equal(Verdict.NotRun, run.OneSample("one", "p", "one seed", [0.3], "x", 0).Verdict);
        Assert.Equal(Verdict.Held, run.Agreement("agree", "p", "E", 1.8172, 1.8169, 0.01).Verdict);
        Assert.Equal(Verdict.Failed, run.Agreement("disagree", "p", "E", 1.9, 1.8169, 0.01).Verdict);
        var reading = run.Reading();
        Assert.StartsWith("At default scale: 2 held, 2 failed, 1 inconclusive, 7 not run.", reading);
        Assert.Contains("- straddles: a beats c — diff", reading);
        Assert.Contains("(not judged: the model is at chance)", reading);
        Assert.Contains("(needs the paper scale)", reading);
        Assert.Equal(Verdict.Held, run.RankCorrelation("falls", "p", "falls with x", [1, 2, 3, 4, 5, 6, 7, 8], [9, 8, 7, 7.5, 5, 4, 2, 1], "ρ", 0, "<").Verdict);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_message_that_names_it()
    {
        var c = new Claims("default");
        Assert.Contains("direction", Assert.Throws<ArgumentException>(() => c.Paired("x", "p", "c", [1, 2, 3], [1, 2, 3], "d", direction: ">=")).Message);
        Assert.Contains("pair up", Assert.Throws<ArgumentException>(() => c.Paired("y", "p", "c", [1, 2, 3], [1, 2], "d")).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => c.Paired("z", "p", "c", [1, double.NaN, 3], [1, 2, 3], "d")).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => c.OneSample("z1", "p", "c", [1, double.NaN, 3], "d", 0)).Message);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => c.OneSample("z2", "p", "c", [], "d", 0)).Message);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => c.OneSample("z3", "p", "c", [1, 2, 3], "d", double.NaN)).ParamName);
        Assert.Equal("scaleBy", Assert.Throws<ArgumentOutOfRangeException>(() => c.Paired("z4", "p", "c", [1, 2, 3], [1, 2, 3], "d", scaleBy: -100)).ParamName);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => ClaimStatistics.Mean([1.0])).Message);
        Assert.Contains("not be constant", Assert.Throws<ArgumentException>(() => ClaimStatistics.Slope([1, 1, 1], [1, 2, 3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Claims("huge"));
        c.NotRun("dup", "p", "c", "e", "why");
        Assert.Contains("already", Assert.Throws<ArgumentException>(() => c.NotRun("dup", "p", "c", "e", "why")).Message);
    }
}
