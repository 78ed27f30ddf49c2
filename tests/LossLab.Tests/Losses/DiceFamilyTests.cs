using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class DiceFamilyTests
{
    const int N = 3, D = 5;
    static readonly double[] P = Uniform(N * D, 70, 0.05, 0.95);
    static readonly double[] Hard = Uniform(N * D, 71, 0, 1).Select(v => v > 0.6 ? 1.0 : 0.0).ToArray();
    static readonly double[] Soft = Uniform(N * D, 72, 0, 1);
    static readonly long[] Shape = { N, D };

    delegate double PerRow(double[] p, double[] y);

    static double Rowwise(double[] p, double[] y, PerRow f) =>
        Enumerable.Range(0, N).Average(i => f(Row(p, i, D), Row(y, i, D)));

    static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(1e-4, false)]
    [InlineData(1.0, true)]
    public void Soft_dice_matches_the_reference(double smooth, bool squared)
    {
        double Ref(double[] p) => Rowwise(p, Hard, (a, y) =>
            1 - (2 * Dot(a, y) + smooth) / ((squared ? Dot(a, a) + Dot(y, y) : a.Sum() + y.Sum()) + smooth));
        MatchesReference(x => new DiceLoss(smooth, squared).call(x, F64(Hard, N, D)), Ref, P, Shape);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Self_adjusting_dice_matches_the_reference(double alpha)
    {
        double Ref(double[] p) => Rowwise(p, Hard, (a, y) =>
        {
            var d = a.Select(v => Math.Pow(1 - v, alpha) * v).ToArray();
            return 1 - (2 * Dot(d, y) + 1) / (d.Sum() + y.Sum() + 1);
        });
        MatchesReference(x => new SelfAdjustingDiceLoss(alpha).call(x, F64(Hard, N, D)), Ref, P, Shape);
    }

    [Fact]
    public void Per_example_self_adjusting_dice_is_the_papers_formula()
    {
        // One element per row: DSC(x_i) = (2(1−p)^α p y + γ)/((1−p)^α p + y + γ), averaged over i.
        double expected = Enumerable.Range(0, N * D).Average(k =>
        {
            double d = (1 - P[k]) * P[k];
            return 1 - (2 * d * Hard[k] + 1) / (d + Hard[k] + 1);
        });
        Close(expected, new SelfAdjustingDiceLoss(1, 1).call(F64(P, N * D, 1), F64(Hard, N * D, 1)).ToDouble(), 1e-14);
    }

    [Fact]
    public void Tversky_matches_the_reference_and_reduces_to_dice_and_jaccard()
    {
        double Ref(double[] p) => Rowwise(p, Soft, (a, y) =>
        {
            double tp = Dot(a, y), fp = a.Select((v, i) => v * (1 - y[i])).Sum(), fn = a.Select((v, i) => (1 - v) * y[i]).Sum();
            return 1 - (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1);
        });
        MatchesReference(x => new TverskyLoss().call(x, F64(Soft, N, D)), Ref, P, Shape);
        var (p, y) = (F64(P, N, D), F64(Hard, N, D));
        Close(LossFunctions.Dice(p, y, 0).ToDouble(), LossFunctions.Tversky(p, y, 0.5, 0.5, 0).ToDouble(), 1e-14);
        double jaccard = Rowwise(P, Hard, (a, t) => 1 - Dot(a, t) / (a.Sum() + t.Sum() - Dot(a, t)));
        Close(jaccard, LossFunctions.Tversky(p, y, 1, 1, 0).ToDouble(), 1e-14);
    }

    [Fact]
    public void Dice_and_jaccard_metric_losses_match_the_reference_on_soft_labels()
    {
        double Dml(double[] p) => Rowwise(p, Soft, (a, y) =>
        {
            double sum = a.Sum() + y.Sum(), diff = a.Select((v, i) => Math.Abs(v - y[i])).Sum();
            return 1 - (sum - diff) / sum;
        });
        double Jml(double[] p) => Rowwise(p, Soft, (a, y) =>
        {
            double sum = a.Sum() + y.Sum(), diff = a.Select((v, i) => Math.Abs(v - y[i])).Sum();
            return 1 - (sum - diff) / (sum + diff);
        });
        MatchesReference(x => new DiceMetricLoss().call(x, F64(Soft, N, D)), Dml, P, Shape);
        MatchesReference(x => new JaccardMetricLoss().call(x, F64(Soft, N, D)), Jml, P, Shape);
    }

    [Fact]
    public void Metric_losses_equal_soft_dice_and_jaccard_on_hard_labels_and_vanish_at_soft_identity()
    {
        var (p, y, s) = (F64(P, N, D), F64(Hard, N, D), F64(Soft, N, D));
        Close(LossFunctions.Dice(p, y, 0).ToDouble(), LossFunctions.DiceMetric(p, y).ToDouble(), 1e-14);
        Close(LossFunctions.Tversky(p, y, 1, 1, 0).ToDouble(), LossFunctions.JaccardMetric(p, y).ToDouble(), 1e-14);
        Assert.Equal(0.0, LossFunctions.DiceMetric(s, s).ToDouble(), 14);
        Assert.Equal(0.0, LossFunctions.JaccardMetric(s, s).ToDouble(), 14);
        Assert.True(LossFunctions.Dice(s, s, 0).ToDouble() > 0.05);   // soft Dice does not vanish at x = y for soft labels
    }

    [Fact]
    public void Empty_prediction_of_empty_target_gives_zero_loss_and_zero_gradient()
    {
        foreach (Func<Tensor, Tensor, Tensor> loss in new Func<Tensor, Tensor, Tensor>[]
                 {
                     (x, t) => LossFunctions.Dice(x, t, 0), (x, t) => LossFunctions.DiceMetric(x, t), (x, t) => LossFunctions.JaccardMetric(x, t),
                     (x, t) => LossFunctions.Tversky(x, t, 0.3, 0.7, 0), (x, t) => LossFunctions.SelfAdjustingDice(x, t, 1, 0),
                 })
        {
            var (value, grad) = ValueAndGrad(x => loss(x, torch.zeros(2, 3, ScalarType.Float64)), new double[6], new long[] { 2, 3 });
            Assert.Equal(0.0, value);
            Assert.All(grad, g => Assert.True(g == 0 || double.IsFinite(g)));
        }
    }

    [Fact]
    public void Sample_weights_and_sum_reduce_per_row_losses()
    {
        var none = LossFunctions.Dice(F64(P, N, D), F64(Hard, N, D), reduction: nn.Reduction.None).data<double>().ToArray();
        var s = new[] { 1.0, 3.0, 0.5 };
        Close(Reduce(none, nn.Reduction.Mean, s), new DiceLoss().forward(F64(P, N, D), F64(Hard, N, D), F64(s, N)).ToDouble(), 1e-14);
        Close(none.Sum(), new DiceLoss(reduction: nn.Reduction.Sum).call(F64(P, N, D), F64(Hard, N, D)).ToDouble(), 1e-14);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("input", Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.Dice(torch.full(2, 2, 1.5f), torch.zeros(2, 2))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.DiceMetric(torch.zeros(2, 2), torch.zeros(2, 3))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.JaccardMetric(torch.zeros(2, 2), torch.full(2, 2, -1f))).ParamName);
        Assert.Equal("smooth", Assert.Throws<ArgumentOutOfRangeException>(() => new DiceLoss(-1)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new SelfAdjustingDiceLoss(-1)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new TverskyLoss(0.5, -0.5)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => LossFunctions.Tversky(torch.zeros(2, 2, ScalarType.Int64), torch.zeros(2, 2))).ParamName);
    }
}
