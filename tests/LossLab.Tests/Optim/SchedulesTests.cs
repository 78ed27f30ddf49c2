using LossLab.Optim;
using TorchSharp;

namespace LossLab.Tests.Optim;

public class SchedulesTests
{
    const int P = 12;

    [Fact]
    public void Constant_is_constant() => Assert.Equal(0.3, Schedules.Constant(0.3)(12345));

    [Fact]
    public void Linear_warmup_reaches_the_peak_at_step_w_minus_one()
    {
        var s = Schedules.LinearWarmup(1.0, 4);
        Assert.Equal(0.25, s(0), P); Assert.Equal(0.5, s(1), P); Assert.Equal(1.0, s(3), P); Assert.Equal(1.0, s(100), P);
    }

    [Fact]
    public void Cosine_is_peak_at_start_mid_value_halfway_and_floor_at_the_end()
    {
        var s = Schedules.Cosine(1.0, 100, floor: 0.1);
        Assert.Equal(1.0, s(0), P);
        Assert.Equal(0.55, s(50), P);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), s(25), P);
        Assert.Equal(0.1, s(100), P); Assert.Equal(0.1, s(500), P);
    }

    [Fact]
    public void Cosine_with_warmup_starts_its_decay_after_the_warmup()
    {
        var s = Schedules.Cosine(2.0, 110, warmupSteps: 10);
        Assert.Equal(0.2, s(0), P); Assert.Equal(2.0, s(9), P); Assert.Equal(2.0, s(10), P); Assert.Equal(1.0, s(60), P); Assert.Equal(0, s(110), P);
    }

    [Fact]
    public void Linear_decay_hits_its_midpoint_and_floor()
    {
        var s = Schedules.LinearDecay(1.0, 10, floor: 0.2);
        Assert.Equal(1.0, s(0), P); Assert.Equal(0.6, s(5), P); Assert.Equal(0.2, s(10), P); Assert.Equal(0.2, s(20), P);
    }

    [Fact]
    public void Multi_step_multiplies_by_gamma_at_each_milestone()
    {
        var s = Schedules.MultiStep(1.0, [30, 10], 0.1);
        Assert.Equal(1.0, s(9), P); Assert.Equal(0.1, s(10), P); Assert.Equal(0.1, s(29), P); Assert.Equal(0.01, s(30), P);
    }

    [Fact]
    public void Exponential_is_gamma_to_the_t() => Assert.Equal(2 * Math.Pow(0.9, 7), Schedules.Exponential(2, 0.9)(7), P);

    [Theory]
    [InlineData(WsdTail.Linear, 0.5)]
    [InlineData(WsdTail.Cosine, 0.5)]
    [InlineData(WsdTail.OneMinusSqrt, 0.29289321881345254)]
    public void Wsd_warms_up_holds_and_decays_with_its_tail(WsdTail tail, double shapeAtHalf)
    {
        // W = 10, T = 100, D = 20: stable on [10, 80], decay over (80, 100]
        var s = Schedules.WarmupStableDecay(1.0, 100, 20, tail, floor: 0, warmupSteps: 10);
        Assert.Equal(0.1, s(0), P);
        Assert.Equal(1.0, s(10), P); Assert.Equal(1.0, s(80), P);
        var p = 0.25;
        var expected = tail switch { WsdTail.Linear => 1 - p, WsdTail.Cosine => 0.5 * (1 + Math.Cos(Math.PI * p)), _ => 1 - Math.Sqrt(p) };
        Assert.Equal(expected, s(85), P);
        Assert.Equal(0, s(100), P);
        Assert.Equal(shapeAtHalf, Schedules.WarmupStableDecay(1.0, 100, 20, tail)(90), P);   // p = ½
    }

    [Fact]
    public void Inverse_sqrt_is_peak_at_w_and_half_peak_at_4w()
    {
        var s = Schedules.InverseSqrt(1.0, 100);
        Assert.Equal(0.01, s(0), P); Assert.Equal(1.0, s(100), P); Assert.Equal(0.5, s(400), P);
    }

    [Fact]
    public void Exponential_ramp_goes_from_start_to_end()
    {
        var s = Schedules.ExponentialRamp(1e-4, 1.0, 100);
        Assert.Equal(1e-4, s(0), P); Assert.Equal(1e-2, s(50), P); Assert.Equal(1.0, s(100), P);
    }

    [Fact]
    public void Sample_gives_steps_and_values_including_both_ends()
    {
        var (x, y) = Schedules.Sample(Schedules.LinearDecay(1.0, 100), 101, points: 5);
        Assert.Equal([0.0, 25, 50, 75, 100], x);
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0], y.Select(v => Math.Round(v, 12)).ToArray());
        var (xs, _) = Schedules.Sample(Schedules.Constant(1), 3, points: 10);
        Assert.Equal([0.0, 1, 2], xs);
    }

    [Fact]
    public void Apply_writes_the_rate_into_every_param_group()
    {
        using var w = new TorchSharp.Modules.Parameter(torch.zeros(2), requires_grad: true);
        using var opt = torch.optim.Adam([w], 1.0);
        Assert.Equal(0.5, Schedules.Apply(Schedules.LinearDecay(1.0, 10), opt, 5), P);
        Assert.All(opt.ParamGroups, g => Assert.Equal(0.5, g.LearningRate, P));
    }

    [Fact]
    public void Bad_schedule_arguments_throw_naming_them()
    {
        Assert.Equal("peak", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.Cosine(-1, 10)).ParamName);
        Assert.Equal("floor", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.Cosine(1, 10, floor: 2)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.LinearDecay(1, 5, warmupSteps: 5)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.LinearWarmup(1, -1)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.InverseSqrt(1, 0)).ParamName);
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.WarmupStableDecay(1, 100, 95, warmupSteps: 10)).ParamName);
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.WarmupStableDecay(1, 100, 0)).ParamName);
        Assert.Equal("milestones", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.MultiStep(1, [-1])).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.Exponential(1, 0)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.ExponentialRamp(0, 1, 10)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.Sample(Schedules.Constant(1), 10, 0)).ParamName);
    }
}
