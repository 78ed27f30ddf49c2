using LossLab.Data;
using LossLab.Losses;

namespace LossLab.Tests.Losses;

/// <summary>The exact arithmetic oracles of LDAM-DRW's CIFAR-10-LT (ρ = 100) set-up, from ml-anchors §4.1 and §4.2.</summary>
public class LdamDrwOracleTests
{
    static readonly long[] Cifar10Lt = { 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50 };

    static void Agree4(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], Math.Round(actual[i], 4), 10);
    }

    [Fact]
    public void Exponential_profile_gives_the_cifar10_and_cifar100_lt_counts()
    {
        var counts = LongTail.ClassCounts(10, 5000, 100);
        Assert.Equal(Cifar10Lt, counts.Select(n => (long)n).ToArray());
        Assert.Equal(12406, counts.Sum());
        Assert.Equal(10847, LongTail.ClassCounts(100, 500, 100).Sum());
    }

    [Fact]
    public void Ldam_margins_match_the_oracle()
    {
        Agree4(new[] { 0.1581, 0.1797, 0.2042, 0.2321, 0.2638, 0.2998, 0.3407, 0.3872, 0.4405, 0.5 }, LdamLoss.Margins(Cifar10Lt, 0.5));
        Agree4(new[] { 0.1581, 0.1797, 0.2042, 0.2321, 0.2638, 0.2998, 0.3407, 0.3872, 0.4405, 0.5 }, new LdamLoss(Cifar10Lt).ClassMargins);
    }

    [Fact]
    public void Drw_weights_match_the_oracle_and_switch_on_at_epoch_160()
    {
        var expected = new[] { 0.0506, 0.0769, 0.1211, 0.1950, 0.3188, 0.5246, 0.8683, 1.4426, 2.4092, 3.9927 };
        Agree4(expected, ClassBalancedWeights.EffectiveNumber(Cifar10Lt, 0.9999));
        var drw = new DeferredReweighting(Cifar10Lt);
        Assert.Equal(160, drw.StartEpoch);
        Assert.All(drw.WeightsAt(0), w => Assert.Equal(1.0, w, 15));
        Assert.All(drw.WeightsAt(159), w => Assert.Equal(1.0, w, 15));
        Assert.False(drw.IsActive(159));
        Assert.True(drw.IsActive(160));
        Agree4(expected, drw.WeightsAt(160));
        Agree4(expected, drw.WeightsAt(199));
        Assert.Equal(10.0, drw.WeightsAt(170).Sum(), 12);
    }

    [Fact]
    public void Log_priors_match_the_oracle()
    {
        Agree4(new[] { -0.9087, -1.4206, -1.9326, -2.4440, -2.9567, -3.4675, -3.9792, -4.4915, -5.0071, -5.5139 }, LogitAdjustment.LogPriors(Cifar10Lt));
    }

    [Fact]
    public void Class_balanced_weights_reduce_to_ones_and_inverse_frequency_at_the_ends()
    {
        long[] counts = { 100, 10, 1 };
        Assert.All(ClassBalancedWeights.EffectiveNumber(counts, 0), w => Assert.Equal(1.0, w, 15));
        // β → 1: (1−β)/(1−β^n) → 1/n; inverse frequency normalised to sum 3: (1/100, 1/10, 1)·3/1.11
        var inverse = ClassBalancedWeights.InverseFrequency(counts);
        LossTestKit.AllClose(new[] { 0.03 / 1.11, 0.3 / 1.11, 3 / 1.11 }, inverse, 1e-14);
        LossTestKit.AllClose(inverse, ClassBalancedWeights.EffectiveNumber(counts, 1 - 1e-9), 1e-6);
        LossTestKit.AllClose(new[] { 1.0, (1 - Math.Pow(0.9, 10)) / 0.1, 1.0 }, ClassBalancedWeights.EffectiveNumbers(new long[] { 1, 10, 1 }, 0.9), 1e-14);
    }

    [Fact]
    public void Bad_counts_and_betas_throw()
    {
        Assert.Equal("classCounts", Assert.Throws<ArgumentOutOfRangeException>(() => ClassBalancedWeights.EffectiveNumber(new long[] { 5, 0 }, 0.9)).ParamName);
        Assert.Equal("classCounts", Assert.Throws<ArgumentException>(() => ClassBalancedWeights.InverseFrequency(Array.Empty<long>())).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => ClassBalancedWeights.EffectiveNumber(new long[] { 5 }, 1.0)).ParamName);
        Assert.Equal("startEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredReweighting(new long[] { 5 }, -1)).ParamName);
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredReweighting(new long[] { 5 }).WeightsAt(-1)).ParamName);
        Assert.Equal("maxMargin", Assert.Throws<ArgumentOutOfRangeException>(() => LdamLoss.Margins(new long[] { 5 }, 0)).ParamName);
    }
}
