using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class LogitAdjustmentTests
{
    const int N = 5, C = 3;
    static readonly long[] Counts = { 300, 30, 3 };

    static double Adjusted(double[] z, long[] y, double[] offset, double[]? s)
    {
        var per = new double[N];
        for (int i = 0; i < N; i++) per[i] = -LogSoftmax(Row(z, i, C).Select((v, k) => v + offset[k]).ToArray())[y[i]];
        return Reduce(per, nn.Reduction.Mean, s);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Logit_adjusted_ce_matches_the_reference(double tau)
    {
        var z = Uniform(N * C, 30);
        var y = Labels(N, C, 31);
        var s = new[] { 1.0, 2.0, 0.5, 1.0, 3.0 };
        double total = Counts.Sum();
        var offset = Counts.Select(n => tau * Math.Log(n / total)).ToArray();
        var loss = new LogitAdjustedCrossEntropyLoss(Counts, tau);
        MatchesReference(x => loss.forward(x, I64(y), F64(s, N)), x => Adjusted(x, y, offset, s), z, new long[] { N, C });
    }

    [Fact]
    public void Balanced_softmax_matches_the_reference_and_equals_logit_adjustment_at_tau_one()
    {
        var z = Uniform(N * C, 32);
        var y = Labels(N, C, 33);
        var offset = Counts.Select(n => Math.Log(n)).ToArray();
        var balanced = new BalancedSoftmaxLoss(Counts);
        MatchesReference(x => balanced.call(x, I64(y)), x => Adjusted(x, y, offset, null), z, new long[] { N, C });
        Close(balanced.call(F64(z, N, C), I64(y)).ToDouble(), new LogitAdjustedCrossEntropyLoss(Counts).call(F64(z, N, C), I64(y)).ToDouble(), 1e-13);
    }

    [Fact]
    public void Post_hoc_adjustment_subtracts_tau_log_prior()
    {
        var logPriors = LogitAdjustment.LogPriors(Counts);
        var adjusted = LogitAdjustment.PostHoc(F64(new[] { 1.0, 0.0, -1.0 }, 1, C), logPriors, 0.5).data<double>().ToArray();
        AllClose(new[] { 1 - 0.5 * logPriors[0], -0.5 * logPriors[1], -1 - 0.5 * logPriors[2] }, adjusted, 1e-15);
        // On equal logits the adjusted argmax is the rarest class.
        Assert.Equal(2, LogitAdjustment.PostHoc(torch.zeros(1, C, ScalarType.Float64), logPriors).argmax(1).ToInt64());
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("logPriors", Assert.Throws<ArgumentException>(() => LogitAdjustment.PostHoc(torch.zeros(1, 2), new[] { 0.0 })).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => LogitAdjustment.PostHoc(torch.zeros(1, 1), new[] { 0.0 }, -1)).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitAdjustedCrossEntropyLoss(Counts, double.NaN)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new BalancedSoftmaxLoss(Counts).call(torch.zeros(1, 2), I64(new long[] { 0 }))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new LogitAdjustedCrossEntropyLoss(Counts).call(torch.zeros(1, 2), I64(new long[] { 0 }))).ParamName);
        Assert.Equal("classCounts", Assert.Throws<ArgumentOutOfRangeException>(() => new BalancedSoftmaxLoss(new long[] { 1, -2 })).ParamName);
    }
}
