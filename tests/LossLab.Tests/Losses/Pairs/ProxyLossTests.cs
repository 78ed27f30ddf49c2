using LossLab.Losses.Pairs;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class ProxyLossTests
{
    static readonly long[] labels = [0, 0, 2, 2, 2, 3];     // class 1 has no samples

    static double SqNormEuclid(double[] a, double[] b) { var d = NormalizedEuclidean(a, b); return d * d; }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Proxy_nca_matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(6, 3, 141); var p = RandomEmbeddings(4, 3, 142);
        var expected = Enumerable.Range(0, 6).Average(i =>
            LogSumExp(p.Select(pc => -2 * SqNormEuclid(x[i], pc))) + 2 * SqNormEuclid(x[i], p[labels[i]]));
        Close(expected, Value(PairLossFunctions.ProxyNca(ToTensor(x, dtype), Labels(labels), ToTensor(p, dtype), 2)), dtype);
    }

    static double ProxyAnchorReference(double[][] x, double[][] p, double delta, double alpha)
    {
        double pos = 0, neg = 0; int withPos = 0;
        for (int c = 0; c < p.Length; c++)
        {
            var members = Enumerable.Range(0, x.Length).Where(i => labels[i] == c).ToArray();
            if (members.Length > 0) { withPos++; pos += Math.Log(1 + members.Sum(i => Math.Exp(-alpha * (Cosine(x[i], p[c]) - delta)))); }
            neg += Math.Log(1 + Enumerable.Range(0, x.Length).Where(i => labels[i] != c).Sum(i => Math.Exp(alpha * (Cosine(x[i], p[c]) + delta))));
        }
        return pos / withPos + neg / p.Length;
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Proxy_anchor_matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(6, 3, 143); var p = RandomEmbeddings(4, 3, 144);
        Close(ProxyAnchorReference(x, p, 0.1, 32), Value(PairLossFunctions.ProxyAnchor(ToTensor(x, dtype), Labels(labels), ToTensor(p, dtype))), dtype);
    }

    [Fact]
    public void Class_level_circle_matches_an_explicit_loop()
    {
        var x = RandomEmbeddings(6, 3, 145); var w = RandomEmbeddings(4, 3, 146);
        const double m = 0.25, g = 16;
        var expected = Enumerable.Range(0, 6).Average(i =>
        {
            var sp = Cosine(x[i], w[labels[i]]);
            var others = Enumerable.Range(0, 4).Where(c => c != labels[i]).Select(c => { var s = Cosine(x[i], w[c]); return g * Math.Max(0, s + m) * (s - m); });
            return Softplus(LogSumExp(others) - g * Math.Max(0, 1 + m - sp) * (sp - (1 - m)));
        });
        Close(expected, Value(PairLossFunctions.ClassLevelCircle(ToTensor(x, ScalarType.Float64), Labels(labels), ToTensor(w, ScalarType.Float64), m, g)), ScalarType.Float64);
    }

    [Fact]
    public void Gradients_with_respect_to_embeddings_and_proxies_match_finite_differences()
    {
        var x = RandomEmbeddings(6, 3, 147); var p = RandomEmbeddings(4, 3, 148);
        var both = x.Concat(p).ToArray();
        GradientMatchesFiniteDifferences(both, t => PairLossFunctions.ProxyAnchor(t[..6], Labels(labels), t[6..], 0.1, 4));
        GradientMatchesFiniteDifferences(both, t => PairLossFunctions.ProxyNca(t[..6], Labels(labels), t[6..]));
    }

    [Fact]
    public void Modules_register_their_proxies_and_check_inputs()
    {
        var pa = new ProxyAnchorLoss(4, 3, dtype: ScalarType.Float64);
        var pn = new ProxyNcaLoss(4, 3, dtype: ScalarType.Float64);
        var cc = new ClassLevelCircleLoss(4, 3, dtype: ScalarType.Float64);
        Assert.Single(pa.parameters()); Assert.Single(pn.parameters()); Assert.Single(cc.parameters());
        var e = ToTensor(RandomEmbeddings(6, 3, 149), ScalarType.Float64);
        Close(Value(PairLossFunctions.ProxyAnchor(e, Labels(labels), pa.Proxies)), Value(pa.call(e, Labels(labels))), ScalarType.Float64);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => pa.call(e, Labels(0, 0, 2, 2, 2, 4))).ParamName);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => pn.call(ToTensor(RandomEmbeddings(6, 2, 1), ScalarType.Float64), Labels(labels))).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyAnchorLoss(0, 3)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyAnchorLoss(3, 3, 0.1, 0)).ParamName);
        Assert.Equal("softmaxScale", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyNcaLoss(3, 3, 0)).ParamName);
        Assert.Equal("margin", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassLevelCircleLoss(3, 3, 2)).ParamName);
    }
}

public class ThresholdConsistentMarginLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop_and_adds_the_base_loss(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, 151);
        var pos = new List<double>(); var neg = new List<double>();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
            {
                if (i == j) continue;
                var s = Cosine(x[i], x[j]);
                if (labels[i] == labels[j] && s <= 0.6) pos.Add(0.6 - s);
                if (labels[i] != labels[j] && s >= 0.1) neg.Add(s - 0.1);
            }
        Assert.NotEmpty(pos); Assert.NotEmpty(neg);
        var tcm = 0.5 * pos.Average() + 2 * neg.Average();
        var e = ToTensor(x, dtype);
        Close(tcm, Value(new ThresholdConsistentMarginLoss(null, 0.5, 2, 0.6, 0.1).call(e, Labels(labels))), dtype);
        var ms = new MultiSimilarityLoss();
        Close(tcm + Value(ms.call(e, Labels(labels))), Value(new ThresholdConsistentMarginLoss(ms, 0.5, 2, 0.6, 0.1).call(e, Labels(labels))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences_and_empty_sets_give_zero()
    {
        GradientMatchesFiniteDifferences(RandomEmbeddings(8, 3, 152), e => new ThresholdConsistentMarginLoss(null, 1, 1, 0.6, 0.1).call(e, Labels(labels)));
        // m⁺ = −1: no positive below it; m⁻ = 1: no negative above it.
        ZeroWithZeroGradient(e => new ThresholdConsistentMarginLoss(null, 1, 1, -1, 1).call(e, Labels(labels)), RandomEmbeddings(8, 3, 153));
        Assert.Equal("marginPlus", Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdConsistentMarginLoss(null, 1, 1, 2)).ParamName);
        Assert.Equal("lambdaPlus", Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdConsistentMarginLoss(null, -1)).ParamName);
    }
}
