using LossLab.Losses.Pairs;
using LossLab.Distances;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class CircleLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, long[] y, double m, double gamma)
    {
        var values = new List<double>();
        for (int i = 0; i < x.Length; i++)
        {
            var lp = new List<double>(); var ln = new List<double>();
            for (int j = 0; j < x.Length; j++)
            {
                if (i == j) continue;
                var s = Cosine(x[i], x[j]);
                if (y[i] == y[j]) lp.Add(-gamma * Math.Max(0, 1 + m - s) * (s - (1 - m)));
                else ln.Add(gamma * Math.Max(0, s + m) * (s - m));
            }
            values.Add(lp.Count == 0 || ln.Count == 0 ? 0 : Softplus(LogSumExp(lp) + LogSumExp(ln)));
        }
        return AverageNonZero(values);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 31);
        Close(Reference(x, labels, 0.4, 80), Value(new CircleLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
        Close(Reference(x, labels, 0.25, 256), Value(new CircleLoss(0.25, 256).call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences_with_weights_held_constant()
    {
        var x = RandomEmbeddings(8, 3, seed: 32);
        // the loss with α_p, α_n detached: finite differences of a function that freezes the weights at the base point.
        var e0 = ToTensor(x, ScalarType.Float64);
        var y = Labels(labels);
        var s0 = new CosineSimilarity().Pairwise(e0, e0);
        var pos = LabelMasks.Positive(y); var neg = LabelMasks.Negative(y);
        const double m = 0.25, gamma = 4;
        Tensor Frozen(Tensor e)
        {
            var s = new CosineSimilarity().Pairwise(e, e);
            var lp = -gamma * (1 + m - s0).relu() * (s - (1 - m));
            var ln = gamma * (s0 + m).relu() * (s - m);
            var per = nn.functional.softplus(PairLossFunctions.MaskedLogSumExp(lp, pos) + PairLossFunctions.MaskedLogSumExp(ln, neg));
            var valid = pos.any(1).logical_and(neg.any(1));
            return per.masked_select(valid).mean();
        }
        var analyticInput = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        new CircleLoss(m, gamma).call(analyticInput, y).backward();
        var frozenInput = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        Frozen(frozenInput).backward();
        var a = analyticInput.grad!.data<double>().ToArray();
        var f = frozenInput.grad!.data<double>().ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(f[i], a[i], 10);
        GradientMatchesFiniteDifferences(x, Frozen);
    }

    [Fact]
    public void Gamma_300_on_180_points_stays_finite()
    {
        var x = RandomEmbeddings(180, 8, seed: 33);
        var e = ToTensor(x, ScalarType.Float32, requiresGrad: true);
        var y = Labels(Enumerable.Range(0, 180).Select(i => (long)(i % 6)).ToArray());
        var value = new CircleLoss(0.25, 300).call(e, y);
        value.backward();
        Assert.True(double.IsFinite(Value(value)) && Value(value) > 0);
        Assert.True(e.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Anchor_without_negatives_adds_zero_loss()
    {
        // all one class: no negatives anywhere
        ZeroWithZeroGradient(e => new CircleLoss().call(e, Labels(0, 0, 0)), RandomEmbeddings(3, 3, 34));
        ZeroWithZeroGradient(e => new CircleLoss().call(e, Labels(0)), RandomEmbeddings(1, 3, 34));
    }

    [Fact]
    public void Rejects_bad_hyperparameters()
    {
        Assert.Equal("margin", Assert.Throws<ArgumentOutOfRangeException>(() => new CircleLoss(1.5)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new CircleLoss(0.25, 0)).ParamName);
    }
}
