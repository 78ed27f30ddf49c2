using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class AsymmetricLossTests
{
    const int N = 4, L = 5;

    static double Reference(double[] x, double[] y, double gp, double gn, double m)
    {
        var per = new double[N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < L; j++)
            {
                int k = i * L + j;
                double p = Sigmoid(x[k]), pm = Math.Max(p - m, 0);
                per[i] -= y[k] * Math.Pow(1 - p, gp) * Math.Log(p) + (1 - y[k]) * Math.Pow(pm, gn) * Math.Log(1 - pm);
            }
        return per.Average();
    }

    [Theory]
    [InlineData(0.0, 4.0, 0.05)]
    [InlineData(1.0, 2.0, 0.1)]
    [InlineData(0.0, 0.0, 0.0)]
    public void Matches_the_reference(double gp, double gn, double m)
    {
        var x = Uniform(N * L, 60);
        var y = Uniform(N * L, 61, 0, 1).Select(v => v > 0.7 ? 1.0 : 0.0).ToArray();
        // Keep negatives away from the clip kink p = m so central differences are valid.
        for (int k = 0; k < x.Length; k++) if (y[k] == 0 && Math.Abs(Sigmoid(x[k]) - m) < 0.02) x[k] += 0.5;
        var loss = new AsymmetricLoss(gp, gn, m);
        MatchesReference(v => loss.call(v, F64(y, N, L)), v => Reference(v, y, gp, gn, m), x, new long[] { N, L });
    }

    [Fact]
    public void Without_focusing_or_clip_it_is_binary_cross_entropy_summed_over_labels()
    {
        var x = F64(Uniform(N * L, 62), N, L);
        var y = F64(Uniform(N * L, 63, 0, 1).Select(v => v > 0.5 ? 1.0 : 0.0).ToArray(), N, L);
        double bce = nn.functional.binary_cross_entropy_with_logits(x, y, reduction: nn.Reduction.Sum).ToDouble() / N;
        Close(bce, LossFunctions.Asymmetric(x, y, 0, 0, 0).ToDouble(), 1e-12);
    }

    [Fact]
    public void Negatives_below_the_clip_are_discarded()
    {
        // p = σ(−5) ≈ 0.0067 < m = 0.05 for a negative label: p_m = 0 and the loss is exactly zero.
        Assert.Equal(0.0, LossFunctions.Asymmetric(F64(new[] { -5.0 }, 1, 1), F64(new[] { 0.0 }, 1, 1)).ToDouble());
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("clip", Assert.Throws<ArgumentOutOfRangeException>(() => new AsymmetricLoss(clip: 1.0)).ParamName);
        Assert.Equal("gammaNegative", Assert.Throws<ArgumentOutOfRangeException>(() => new AsymmetricLoss(gammaNegative: -1)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => LossFunctions.Asymmetric(torch.zeros(3), torch.zeros(3))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.Asymmetric(torch.zeros(2, 3), torch.zeros(2, 4))).ParamName);
    }
}
