using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class FocalLossTests
{
    const int N = 6, C = 4;

    static double SoftmaxFocal(double[] z, long[] y, double gamma, double[]? alpha, double[]? s, nn.Reduction reduction)
    {
        var per = new double[N];
        for (int i = 0; i < N; i++)
        {
            double p = Softmax(Row(z, i, C))[y[i]];
            per[i] = -(alpha?[y[i]] ?? 1) * Math.Pow(1 - p, gamma) * Math.Log(p);
        }
        return Reduce(per, reduction, s);
    }

    [Theory]
    [InlineData(2.0, false, false, nn.Reduction.Mean)]
    [InlineData(1.0, true, false, nn.Reduction.Mean)]
    [InlineData(0.5, true, true, nn.Reduction.Sum)]
    [InlineData(3.0, false, true, nn.Reduction.Mean)]
    public void Softmax_focal_matches_the_reference(double gamma, bool useAlpha, bool useSampleWeights, nn.Reduction reduction)
    {
        var z = Uniform(N * C, 40);
        var y = Labels(N, C, 41);
        var alpha = useAlpha ? new[] { 0.25, 1.0, 2.0, 0.5 } : null;
        var s = useSampleWeights ? new[] { 1.0, 0.5, 2.0, 0.0, 1.0, 1.5 } : null;
        var loss = new FocalLoss(gamma, alpha, reduction);
        MatchesReference(x => loss.forward(x, I64(y), s is null ? null : F64(s, N)), x => SoftmaxFocal(x, y, gamma, alpha, s, reduction), z, new long[] { N, C });
    }

    [Fact]
    public void Gamma_zero_without_alpha_is_cross_entropy()
    {
        var z = F64(Uniform(N * C, 42), N, C);
        var y = I64(Labels(N, C, 43));
        Close(LossFunctions.CrossEntropy(z, y).ToDouble(), LossFunctions.Focal(z, y, 0).ToDouble(), 1e-14);
    }

    [Fact]
    public void Confident_correct_sample_has_finite_gradient()
    {
        var (value, grad) = ValueAndGrad(x => LossFunctions.Focal(x, I64(new long[] { 0 }), 2), new[] { 60.0, 0, 0 }, new long[] { 1, 3 });
        Assert.True(value >= 0 && value < 1e-40);
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
    }

    static double SigmoidFocalRef(double[] x, double[] t, double? alpha, double gamma, int rows)
    {
        double total = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double p = Sigmoid(x[j]);
            double bce = -(t[j] * Math.Log(p) + (1 - t[j]) * Math.Log(1 - p));
            double pt = p * t[j] + (1 - p) * (1 - t[j]);
            double a = alpha is double al ? al * t[j] + (1 - al) * (1 - t[j]) : 1;
            total += a * Math.Pow(1 - pt, gamma) * bce;
        }
        return total / x.Length;
    }

    [Theory]
    [InlineData(0.25, 2.0, false)]
    [InlineData(null, 1.0, false)]
    [InlineData(0.75, 2.0, true)]
    public void Sigmoid_focal_matches_the_reference(double? alpha, double gamma, bool soft)
    {
        var x = Uniform(12, 44);
        var t = soft ? Uniform(12, 45, 0, 1) : Uniform(12, 45, 0, 1).Select(v => v > 0.7 ? 1.0 : 0.0).ToArray();
        var loss = new SigmoidFocalLoss(alpha, gamma);
        MatchesReference(v => loss.call(v, F64(t, 3, 4)), v => SigmoidFocalRef(v, t, alpha, gamma, 3), x, new long[] { 3, 4 });
    }

    [Fact]
    public void Sigmoid_focal_sample_weights_weight_whole_rows()
    {
        var x = Uniform(6, 46);
        var t = new[] { 1.0, 0, 0, 1, 0, 1 };
        var s = new[] { 2.0, 0.5 };
        var none = LossFunctions.SigmoidFocal(F64(x, 2, 3), F64(t, 2, 3), reduction: nn.Reduction.None).data<double>().ToArray();
        double expected = (2.0 * (none[0] + none[1] + none[2]) + 0.5 * (none[3] + none[4] + none[5])) / (3 * 2.5);
        Close(expected, LossFunctions.SigmoidFocal(F64(x, 2, 3), F64(t, 2, 3), sampleWeights: F64(s, 2)).ToDouble(), 1e-14);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new FocalLoss(-1)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new FocalLoss(alpha: new[] { -0.1 })).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentException>(() => new FocalLoss(alpha: new[] { 1.0 }).call(torch.zeros(1, 2), I64(new long[] { 0 }))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidFocalLoss(1.5)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.SigmoidFocal(torch.zeros(2, 3), torch.zeros(2, 2))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.SigmoidFocal(torch.zeros(2), torch.full(2, 2.0f))).ParamName);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => LossFunctions.SigmoidFocal(torch.zeros(2, 2), torch.zeros(2, 2), sampleWeights: torch.ones(3))).ParamName);
    }
}
