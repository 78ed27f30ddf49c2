using LossLab.Experiments;
using LossLab.Experiments.Scaling;

namespace LossLab.Tests.Experiments.Scaling;

public class FloorAgreementTests
{
    const double EntropyRate = 1.148209;   // H∞ of NB3.1's chain (V = 128, s = 1.1)

    [Fact]
    public void A_wide_interval_that_contains_the_floor_is_not_judged()
    {
        // The case of the rule this replaces: E's interval (0, 1.1955) contains H∞ = 1.148, so "interval contains H∞ or
        // |E/H∞ − 1| ≤ 5 %" passed, though the point estimate 1.06 lies 7.7 % below a floor no model can reach.
        var perSeed = new[] { 0.55, 1.15, 1.48 };   // mean 1.06
        bool oldRule = (0.0 <= EntropyRate && EntropyRate <= 1.1955) || Math.Abs(1.06 / EntropyRate - 1) <= 0.05;
        Assert.True(oldRule);
        var check = FloorAgreement.Of(perSeed, EntropyRate, 0.05);
        Assert.False(check.CanJudge);
        Assert.Contains("wider than the band", check.Unjudgeable);
        Assert.Equal(1.06, check.Mean!.Estimate, 12);
    }

    [Fact]
    public void A_narrow_interval_is_judged_and_a_mean_below_the_band_fails()
    {
        // mean 1.06, sd 0.01, t(0.975, 2) = 4.302653 → half-width 4.302653·0.01/√3 = 0.024841 ≤ 0.05·1.148209 = 0.057410.
        var check = FloorAgreement.Of([1.05, 1.06, 1.07], EntropyRate, 0.05);
        Assert.True(check.CanJudge);
        Assert.Equal(4.302653 * 0.01 / Math.Sqrt(3), check.HalfWidth, 5);
        var claims = new Claims("default");
        var record = claims.Agreement("e", "p", "E recovers H∞", check.Mean!.Estimate, EntropyRate, 0.05, needs: "default");
        Assert.Equal(Verdict.Failed, record.Verdict);   // |1.06/1.148209 − 1| = 7.68 % > 5 %
    }

    [Fact]
    public void A_narrow_interval_within_the_band_holds()
    {
        var check = FloorAgreement.Of([1.14, 1.16, 1.15, 1.13, 1.17], EntropyRate, 0.05);
        Assert.True(check.CanJudge);
        var record = new Claims("default").Agreement("e", "p", "E recovers H∞", check.Mean!.Estimate, EntropyRate, 0.05, needs: "default");
        Assert.Equal(Verdict.Held, record.Verdict);
    }

    [Fact]
    public void Too_few_seeds_an_underflowed_E_or_a_bad_argument_are_named()
    {
        Assert.Contains("at least 3", FloorAgreement.Of([1.15, 1.15], EntropyRate, 0.05).Unjudgeable);
        Assert.Contains("E at 0", FloorAgreement.Of([1.15, 0, 1.15], EntropyRate, 0.05).Unjudgeable);
        Assert.Contains("not finite", FloorAgreement.Of([1.15, double.NaN, 1.15], EntropyRate, 0.05).Unjudgeable);
        Assert.Equal("reference", Assert.Throws<ArgumentOutOfRangeException>(() => FloorAgreement.Of([1.0], 0, 0.05)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => FloorAgreement.Of([1.0], 1, 0)).ParamName);
    }
}
