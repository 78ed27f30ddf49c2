using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class PolyLossTests
{
    const int N = 5, C = 3;

    static double PolyRef(double[] z, long[] y, double[] eps, double ls = 0)
    {
        var per = new double[N];
        for (int i = 0; i < N; i++)
        {
            var logp = LogSoftmax(Row(z, i, C));
            var q = Enumerable.Range(0, C).Select(k => (k == y[i] ? 1 - ls : 0) + ls / C).ToArray();
            double ce = -Enumerable.Range(0, C).Sum(k => q[k] * logp[k]);
            double pt = Enumerable.Range(0, C).Sum(k => q[k] * Math.Exp(logp[k]));
            per[i] = ce + eps.Select((e, j) => e * Math.Pow(1 - pt, j + 1)).Sum();
        }
        return per.Average();
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(2.0, 0.1)]
    public void Poly1_matches_the_reference(double epsilon, double smoothing)
    {
        var z = Uniform(N * C, 50);
        var y = Labels(N, C, 51);
        var loss = new Poly1Loss(epsilon, smoothing);
        MatchesReference(x => loss.call(x, I64(y)), x => PolyRef(x, y, new[] { epsilon }, smoothing), z, new long[] { N, C });
    }

    [Fact]
    public void PolyN_matches_the_reference_and_poly1()
    {
        var z = Uniform(N * C, 52);
        var y = Labels(N, C, 53);
        var eps = new[] { 0.5, -0.25, 2.0 };
        MatchesReference(x => new PolyLoss(eps).call(x, I64(y)), x => PolyRef(x, y, eps), z, new long[] { N, C });
        Close(new Poly1Loss(0.7).call(F64(z, N, C), I64(y)).ToDouble(), new PolyLoss(new[] { 0.7 }).call(F64(z, N, C), I64(y)).ToDouble(), 1e-14);
    }

    [Fact]
    public void Subtracting_the_taylor_coefficients_leaves_the_tail_of_the_series()
    {
        // −log p = Σ_j (1−p)^j/j, so ε_j = −1/j for j ≤ 3 leaves Σ_{j>3} (1−p)^j/j, summed here to 200 terms.
        var z = Uniform(N * C, 54, -1, 1);
        var y = Labels(N, C, 55);
        double tail = 0;
        for (int i = 0; i < N; i++)
        {
            double q = 1 - Softmax(Row(z, i, C))[y[i]];
            for (int j = 4; j <= 200; j++) tail += Math.Pow(q, j) / j;
        }
        Close(tail / N, new PolyLoss(new[] { -1.0, -0.5, -1.0 / 3 }).call(F64(z, N, C), I64(y)).ToDouble(), 1e-12);
    }

    [Fact]
    public void Poly1_focal_matches_the_reference_in_softmax_and_sigmoid_forms()
    {
        var z = Uniform(N * C, 56);
        var y = Labels(N, C, 57);
        var alpha = new[] { 0.5, 1.0, 2.0 };
        double Soft(double[] x)
        {
            var per = new double[N];
            for (int i = 0; i < N; i++)
            {
                double p = Softmax(Row(x, i, C))[y[i]];
                per[i] = -alpha[y[i]] * Math.Pow(1 - p, 2) * Math.Log(p) + 1.5 * Math.Pow(1 - p, 3);
            }
            return per.Average();
        }
        MatchesReference(x => new Poly1FocalLoss(1.5, 2, alpha).call(x, I64(y)), Soft, z, new long[] { N, C });

        var t = new[] { 1.0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0 };
        double Sig(double[] x)
        {
            double total = 0;
            for (int j = 0; j < x.Length; j++)
            {
                double p = Sigmoid(x[j]), pt = t[j] == 1 ? p : 1 - p, a = t[j] == 1 ? 0.25 : 0.75;
                total += -a * Math.Pow(1 - pt, 2) * Math.Log(pt) + 1.0 * Math.Pow(1 - pt, 3);
            }
            return total / x.Length;
        }
        MatchesReference(x => LossFunctions.SigmoidPoly1Focal(x, F64(t, N, C)), Sig, z, new long[] { N, C });
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("epsilons", Assert.Throws<ArgumentException>(() => new PolyLoss(Array.Empty<double>())).ParamName);
        Assert.Equal("epsilons", Assert.Throws<ArgumentOutOfRangeException>(() => new PolyLoss(new[] { double.NaN })).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Poly1Loss(double.PositiveInfinity)).ParamName);
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new Poly1Loss(1, -0.1)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new Poly1FocalLoss(1, -2)).ParamName);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => LossFunctions.Poly1Focal(torch.zeros(2, 2), I64(new long[] { 0, 1 }), sampleWeights: torch.ones(5))).ParamName);
    }
}
