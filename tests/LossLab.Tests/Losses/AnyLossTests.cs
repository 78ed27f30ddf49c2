using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class AnyLossTests
{
    static readonly double[] P = Uniform(12, 110, 0.05, 0.95);
    static readonly double[] Y = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0 };

    static double Reference(double[] p, AnyLossMetric metric, double l, double beta = 1, double s = 1e-5)
    {
        var a = p.Select(v => 1 / (1 + Math.Exp(-l * (v - 0.5)))).ToArray();
        double tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < p.Length; i++)
        {
            tp += Y[i] * a[i]; fn += Y[i] * (1 - a[i]); fp += (1 - Y[i]) * a[i]; tn += (1 - Y[i]) * (1 - a[i]);
        }
        double score = metric switch
        {
            AnyLossMetric.FBeta => (1 + beta * beta) * tp / ((1 + beta * beta) * tp + beta * beta * fn + fp + s),
            AnyLossMetric.Accuracy => (tp + tn) / (p.Length + s),
            AnyLossMetric.BalancedAccuracy => ((tp + fn) * (tn + fp) * 0.5 * (tp / (tp + fn) + tn / (tn + fp))) / ((tp + fn) * (tn + fp) + s / 2),
            _ => tp / (tp + fn) * tn / (tn + fp) * ((tp + fn) * (tn + fp)) / ((tp + fn) * (tn + fp) + s),
        };
        return 1 - score;
    }

    [Theory]
    [InlineData(AnyLossMetric.FBeta, 10.0, 1.0)]
    [InlineData(AnyLossMetric.FBeta, 5.0, 2.0)]
    [InlineData(AnyLossMetric.Accuracy, 10.0, 1.0)]
    [InlineData(AnyLossMetric.BalancedAccuracy, 8.0, 1.0)]
    [InlineData(AnyLossMetric.GeometricMean, 8.0, 1.0)]
    public void Matches_a_soft_confusion_matrix_reference(AnyLossMetric metric, double l, double beta)
    {
        MatchesReference(x => new AnyLoss(l, metric, beta).call(x, F64(Y, 3, 4)), x => Reference(x, metric, l, beta), P, new long[] { 3, 4 },
            1e-12, 1e-6);
    }

    [Fact]
    public void Large_amplification_recovers_the_hard_f1()
    {
        // Thresholding P at 0.5 against Y gives hard counts; with L = 2000 the soft counts match them closely.
        double tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < P.Length; i++)
        {
            bool pred = P[i] > 0.5;
            if (pred && Y[i] == 1) tp++; else if (pred) fp++; else if (Y[i] == 1) fn++;
        }
        double hardF1 = 2 * tp / (2 * tp + fp + fn);
        Assert.True(P.All(v => Math.Abs(v - 0.5) > 0.01));
        Close(1 - hardF1, LossFunctions.Any(F64(P, 12), F64(Y, 12), 2000, smooth: 0).ToDouble(), 1e-6);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("amplification", Assert.Throws<ArgumentOutOfRangeException>(() => new AnyLoss(0)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new AnyLoss(10, beta: 0)).ParamName);
        Assert.Equal("smooth", Assert.Throws<ArgumentOutOfRangeException>(() => new AnyLoss(10, smooth: -1)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.Any(F64(new[] { 1.5 }, 1), F64(new[] { 1.0 }, 1), 10)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.Any(F64(new[] { 0.5 }, 1), F64(new[] { 1.0, 0 }, 2), 10)).ParamName);
    }
}
