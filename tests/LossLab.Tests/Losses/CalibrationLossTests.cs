using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

/// <summary>Dual focal, squentropy, the one-hot square loss and the two z-losses.</summary>
public class CalibrationLossTests
{
    const int N = 5, C = 4;

    [Theory]
    [InlineData(5.0)]
    [InlineData(2.0)]
    public void Dual_focal_matches_the_reference(double gamma)
    {
        var z = Uniform(N * C, 80);
        var y = Labels(N, C, 81);
        double Ref(double[] x)
        {
            var per = new double[N];
            for (int i = 0; i < N; i++)
            {
                var p = Softmax(Row(x, i, C));
                double py = p[y[i]], pj = p.Where(v => v < py).DefaultIfEmpty(0).Max();
                per[i] = -Math.Pow(1 - py + pj, gamma) * Math.Log(py);
            }
            return per.Average();
        }
        MatchesReference(x => new DualFocalLoss(gamma).call(x, I64(y)), Ref, z, new long[] { N, C });
    }

    [Fact]
    public void Dual_focal_uses_zero_when_the_label_has_the_smallest_probability()
    {
        // logits [2, 1, 0], label 2: p_y is the smallest, so p_j = 0 and ℓ = −(1 − p_y)^γ log p_y.
        var p = Softmax(new[] { 2.0, 1, 0 });
        Close(-Math.Pow(1 - p[2], 5) * Math.Log(p[2]), LossFunctions.DualFocal(F64(new[] { 2.0, 1, 0 }, 1, 3), I64(new long[] { 2 })).ToDouble(), 1e-14);
    }

    [Fact]
    public void Squentropy_matches_the_reference()
    {
        var z = Uniform(N * C, 82);
        var y = Labels(N, C, 83);
        double Ref(double[] x) => Enumerable.Range(0, N).Average(i =>
        {
            var row = Row(x, i, C);
            return -LogSoftmax(row)[y[i]] + row.Where((_, k) => k != y[i]).Sum(v => v * v) / (C - 1);
        });
        MatchesReference(x => new SquentropyLoss().call(x, I64(y)), Ref, z, new long[] { N, C });
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(3.0, 5.0)]
    public void One_hot_square_loss_matches_the_reference(double k, double m)
    {
        var z = Uniform(N * C, 84);
        var y = Labels(N, C, 85);
        double Ref(double[] x) => Enumerable.Range(0, N).Average(i =>
            Row(x, i, C).Select((v, j) => j == y[i] ? k * (v - m) * (v - m) : v * v).Sum());
        MatchesReference(x => new OneHotMseLoss(k, m).call(x, I64(y)), Ref, z, new long[] { N, C });
        if (k == 1 && m == 1)
        {
            var oneHot = nn.functional.one_hot(I64(y), C).to(ScalarType.Float64);
            Close(C * nn.functional.mse_loss(F64(z, N, C), oneHot).ToDouble(), new OneHotMseLoss().call(F64(z, N, C), I64(y)).ToDouble(), 1e-13);
        }
    }

    [Fact]
    public void Spherical_z_loss_matches_the_reference_and_is_shift_and_scale_invariant()
    {
        var z = Uniform(N * C, 86);
        var y = Labels(N, C, 87);
        const double a = 0.5, b = 1.2;
        double Ref(double[] x) => Enumerable.Range(0, N).Average(i =>
        {
            var row = Row(x, i, C);
            double mu = row.Average(), sigma = Math.Sqrt(row.Average(v => (v - mu) * (v - mu)));
            double zy = (row[y[i]] - mu) / sigma;
            return Math.Log(1 + Math.Exp(a * (b - zy))) / a;
        });
        MatchesReference(x => new ZLoss(a, b).call(x, I64(y)), Ref, z, new long[] { N, C });
        Close(Ref(z), new ZLoss(a, b).call(F64(z, N, C) * 7.5 - 3, I64(y)).ToDouble(), 1e-12);
    }

    [Fact]
    public void Logit_z_loss_matches_the_reference()
    {
        var z = Uniform(N * C, 88);
        double Ref(double[] x) => Enumerable.Range(0, N).Average(i =>
        {
            var row = Row(x, i, C);
            double lse = row.Max() + Math.Log(row.Sum(v => Math.Exp(v - row.Max())));
            return 1e-2 * lse * lse;
        });
        MatchesReference(x => new LogitZLoss(1e-2).call(x, I64(Labels(N, C, 89))), Ref, z, new long[] { N, C });
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new DualFocalLoss(-1)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => LossFunctions.Squentropy(torch.zeros(2, 1), I64(new long[] { 0, 0 }))).ParamName);
        Assert.Equal("rescale", Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotMseLoss(0)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotMseLoss(1, -1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentOutOfRangeException>(() => new ZLoss(0, 1)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => new ZLoss(1, double.NaN)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitZLoss(-1)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => LossFunctions.LogitZ(torch.zeros(3))).ParamName);
    }
}
