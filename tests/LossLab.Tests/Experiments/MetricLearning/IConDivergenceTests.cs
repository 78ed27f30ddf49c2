using LossLab.Experiments.MetricLearning;
using LossLab.Losses.Pairs;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class IConDivergenceTests
{
    static Tensor Similarity(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = tensor(Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() - 0.5).ToArray(), [n, d]);
        var z = nn.functional.normalize(x, p: 2, dim: 1);
        return z.matmul(z.t());
    }

    [Fact]
    public void KL_matches_an_explicit_loop()
    {
        using var scope = NewDisposeScope();
        var s = Similarity(5, 3, 1);
        var p = IConDivergence.LabelNeighbours(tensor(new long[] { 0, 1, 0, 0, 2 }));
        var sv = s.data<double>().ToArray();
        var pv = p.data<double>().ToArray();
        const double tau = 0.3;
        var kl = IConDivergence.PerAnchor(s, p, tau).data<double>().ToArray();
        for (int i = 0; i < 5; i++)
        {
            double z = 0;
            for (int j = 0; j < 5; j++) if (j != i) z += Math.Exp(sv[i * 5 + j] / tau);
            double expected = 0;
            for (int j = 0; j < 5; j++)
            {
                double pij = pv[i * 5 + j];
                if (pij > 0) expected += pij * (Math.Log(pij) - (sv[i * 5 + j] / tau - Math.Log(z)));
            }
            Assert.Equal(expected, kl[i], 10);
        }
        // anchors 1 and 4 have no same-label sample: p row all zero, KL 0
        Assert.Equal(0, kl[1]);
        Assert.Equal(0, kl[4]);
        Assert.Equal(new[] { 0.5, 0, 0.5, 0, 0.5 }.Select(v => v).ToArray()[0], pv[0 * 5 + 2]);
    }

    [Fact]
    public void Label_neighbours_give_SupCon_plus_the_entropy_and_view_neighbours_give_NTXent()
    {
        using var scope = NewDisposeScope();
        var s = Similarity(8, 4, 2);
        var labels = tensor(new long[] { 0, 1, 0, 2, 1, 0, 3, 2 });
        var p = IConDivergence.LabelNeighbours(labels);
        const double tau = 0.1;
        var kl = IConDivergence.PerAnchor(s, p, tau);
        var supCon = PairLossFunctions.SupCon(s, LabelMasks.Positive(labels), LabelMasks.Negative(labels), tau);
        var crossEntropy = kl + IConDivergence.Entropy(p);
        Assert.True(crossEntropy.allclose(supCon, rtol: 0, atol: 1e-12), "H(p, q) equals SupCon's L_out per anchor");
        // two views of 4 samples: p one-hot on the partner, H(p) = 0
        var v = IConDivergence.ViewNeighbours(4);
        var viewLabels = NTXentLoss.ViewLabels(4);
        var ntxent = PairLossFunctions.NTXent(s, LabelMasks.Positive(viewLabels), LabelMasks.Negative(viewLabels), tau);
        var klViews = IConDivergence.PerAnchor(s, v, tau);
        Assert.True(klViews.allclose(ntxent, rtol: 0, atol: 1e-12), "KL with view neighbours equals NT-Xent per anchor");
        Assert.Equal(0, IConDivergence.Entropy(v).abs().max().item<double>(), 15);
    }

    [Fact]
    public void Gradient_matches_central_differences()
    {
        using var scope = NewDisposeScope();
        var s0 = Similarity(4, 3, 5);
        var p = IConDivergence.LabelNeighbours(tensor(new long[] { 0, 0, 1, 1 }));
        var s = s0.clone().requires_grad_(true);
        IConDivergence.PerAnchor(s, p, 0.5).sum().backward();
        var g = s.grad!.data<double>().ToArray();
        var baseValues = s0.data<double>().ToArray();
        const double h = 1e-6;
        for (int k = 0; k < 16; k++)
        {
            var plus = (double[])baseValues.Clone(); plus[k] += h;
            var minus = (double[])baseValues.Clone(); minus[k] -= h;
            double fp = IConDivergence.PerAnchor(tensor(plus, [4, 4]), p, 0.5).sum().item<double>();
            double fm = IConDivergence.PerAnchor(tensor(minus, [4, 4]), p, 0.5).sum().item<double>();
            Assert.Equal((fp - fm) / (2 * h), g[k], 6);
        }
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        using var s = zeros(3, 4, dtype: ScalarType.Float64);
        Assert.Equal("similarity", Assert.Throws<ArgumentException>(() => IConDivergence.PerAnchor(s, s, 0.1)).ParamName);
        using var sq = zeros(3, 3, dtype: ScalarType.Float64);
        using var p = zeros(2, 2, dtype: ScalarType.Float64);
        Assert.Equal("neighbours", Assert.Throws<ArgumentException>(() => IConDivergence.PerAnchor(sq, p, 0.1)).ParamName);
        Assert.Equal("temperature", Assert.ThrowsAny<ArgumentException>(() => IConDivergence.PerAnchor(sq, sq, 0)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => IConDivergence.ViewNeighbours(0)).ParamName);
    }
}
