using LossLab.Losses.Pairs;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class DclLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, double tau)
    {
        var values = new List<double>();
        for (int a = 0; a < x.Length; a++)
            for (int p = 0; p < x.Length; p++)
                if (p != a && labels[p] == labels[a])
                {
                    var negs = Enumerable.Range(0, x.Length).Where(n => labels[n] != labels[a]).Select(n => Cosine(x[a], x[n]) / tau);
                    values.Add(-Cosine(x[a], x[p]) / tau + LogSumExp(negs));
                }
        return values.Average();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 91);
        Close(Reference(x, 0.1), Value(new DclLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Is_nt_xent_minus_the_positive_in_the_denominator()
    {
        // For one positive per anchor: NT-Xent − DCL = mean log(1 + e^{s_ap/τ} / Σ_n e^{s_an/τ}) > 0.
        var v1 = RandomEmbeddings(4, 3, 92); var v2 = RandomEmbeddings(4, 3, 93);
        var t1 = ToTensor(v1, ScalarType.Float64); var t2 = ToTensor(v2, ScalarType.Float64);
        var diff = Value(new NTXentLoss(0.5).Views(t1, t2)) - Value(new DclLoss(0.5).Views(t1, t2));
        var all = v1.Concat(v2).ToArray();
        double expected = 0;
        for (int i = 0; i < 8; i++)
        {
            int j = (i + 4) % 8;
            var negs = Enumerable.Range(0, 8).Where(k => k != i && k != j).Select(k => Cosine(all[i], all[k]) / 0.5);
            expected += Math.Log(1 + Math.Exp(Cosine(all[i], all[j]) / 0.5 - LogSumExp(negs)));
        }
        Close(expected / 8, diff, ScalarType.Float64);
    }

    [Fact]
    public void Gradient_matches_finite_differences() =>
        GradientMatchesFiniteDifferences(RandomEmbeddings(8, 3, 94), e => new DclLoss(0.4).call(e, Labels(labels)));

    [Fact]
    public void No_negatives_give_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new DclLoss().call(e, Labels(0, 0, 0)), RandomEmbeddings(3, 3, 95));

    [Fact]
    public void Rejects_bad_temperature() =>
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new DclLoss(0)).ParamName);
}

public class PairwiseLogisticAucLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 101);
        var values = new List<double>();
        for (int a = 0; a < 8; a++)
            for (int p = 0; p < 8; p++)
                for (int n = 0; n < 8; n++)
                    if (p != a && labels[p] == labels[a] && labels[n] != labels[a])
                        values.Add(Softplus(-(Cosine(x[a], x[p]) - Cosine(x[a], x[n])) / 0.5));
        Close(values.Average(), Value(new PairwiseLogisticAucLoss(0.5).call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences() =>
        GradientMatchesFiniteDifferences(RandomEmbeddings(8, 3, 102), e => new PairwiseLogisticAucLoss().call(e, Labels(labels)));

    [Fact]
    public void No_positive_pairs_give_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new PairwiseLogisticAucLoss().call(e, Labels(0, 1, 2)), RandomEmbeddings(3, 3, 103));

    [Fact]
    public void Rejects_bad_temperature() =>
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new PairwiseLogisticAucLoss(-2)).ParamName);
}

public class NPairsLossTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Uses_the_first_pair_of_each_class_and_cross_entropy(ScalarType dtype)
    {
        long[] y = [2, 0, 2, 1, 0, 3, 1, 2];      // pairs: class 0 (1, 4), class 1 (3, 6), class 2 (0, 2); class 3 skipped
        var x = RandomEmbeddings(8, 3, 111);
        int[][] pairs = [[1, 4], [3, 6], [0, 2]];
        double total = 0;
        foreach (var pr in pairs)
        {
            var logits = pairs.Select(q => Cosine(x[pr[0]], x[q[1]])).ToArray();
            total += LogSumExp(logits) - Cosine(x[pr[0]], x[pr[1]]);
        }
        Close(total / 3, Value(new NPairsLoss().call(ToTensor(x, dtype), Labels(y))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences_and_singletons_give_zero()
    {
        GradientMatchesFiniteDifferences(RandomEmbeddings(6, 3, 112), e => new NPairsLoss().call(e, Labels(0, 1, 2, 0, 1, 2)));
        ZeroWithZeroGradient(e => new NPairsLoss().call(e, Labels(0, 1, 2)), RandomEmbeddings(3, 3, 113));
    }
}

public class InfoNceLossTests
{
    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.Float64, false)]
    [InlineData(ScalarType.Float64, true)]
    public void Matches_row_wise_cross_entropy(ScalarType dtype, bool symmetric)
    {
        var q = RandomEmbeddings(5, 3, 121); var k = RandomEmbeddings(5, 3, 122);
        double Direction(double[][] a, double[][] b) =>
            Enumerable.Range(0, 5).Average(i => LogSumExp(b.Select(bj => Cosine(a[i], bj) / 0.2)) - Cosine(a[i], b[i]) / 0.2);
        var expected = symmetric ? (Direction(q, k) + Direction(k, q)) / 2 : Direction(q, k);
        Close(expected, Value(new InfoNceLoss(0.2, symmetric).call(ToTensor(q, dtype), ToTensor(k, dtype))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences_and_inputs_are_checked()
    {
        var k = ToTensor(RandomEmbeddings(5, 3, 124), ScalarType.Float64);
        GradientMatchesFiniteDifferences(RandomEmbeddings(5, 3, 123), q => new InfoNceLoss(0.5, true).call(q, k));
        Assert.Equal("keys", Assert.Throws<ArgumentException>(() => new InfoNceLoss().call(k, k[..4])).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => new InfoNceLoss().call(k.flatten(), k.flatten())).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new InfoNceLoss(0)).ParamName);
    }
}

public class SigLipLossTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_the_pairwise_sigmoid_definition(ScalarType dtype)
    {
        var x = RandomEmbeddings(5, 3, 131); var y = RandomEmbeddings(5, 3, 132);
        foreach (var (tp, b) in new[] { (Math.Log(10), -10.0), (0.3, 1.5) })
        {
            double total = 0;
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++)
                {
                    var z = i == j ? 1 : -1;
                    total += Softplus(-z * (Math.Exp(tp) * Cosine(x[i], y[j]) + b));   // −log σ(u) = softplus(−u)
                }
            var loss = new SigLipLoss(tp, b, dtype);
            Close(total / 5, Value(loss.call(ToTensor(x, dtype), ToTensor(y, dtype))), dtype);
        }
    }

    [Fact]
    public void Temperature_and_bias_are_learnable_with_exact_gradients()
    {
        var loss = new SigLipLoss(0.5, -1, ScalarType.Float64);
        Assert.Equal(2, loss.parameters().Count());
        var x = RandomEmbeddings(4, 3, 133); var y = RandomEmbeddings(4, 3, 134);
        loss.call(ToTensor(x, ScalarType.Float64), ToTensor(y, ScalarType.Float64)).backward();
        // d/db of (1/N) Σ softplus(−z(t·s + b)) = (1/N) Σ −z·σ(−z(t·s + b))
        double gb = 0, gt = 0, t = Math.Exp(0.5);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                var z = i == j ? 1 : -1; var s = Cosine(x[i], y[j]);
                var sig = 1 / (1 + Math.Exp(z * (t * s - 1)));
                gb += -z * sig / 4; gt += -z * sig * t * s / 4;
            }
        Assert.Equal(gb, loss.Bias.grad!.item<double>(), 10);
        Assert.Equal(gt, loss.LogTemperature.grad!.item<double>(), 10);
        var yt = ToTensor(y, ScalarType.Float64);
        GradientMatchesFiniteDifferences(x, e => new SigLipLoss(0.5, -1, ScalarType.Float64).call(e, yt));
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => loss.call(yt, yt[..2])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SigLipLoss(double.NaN));
    }
}
