using LossLab.Losses.Pairs;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class NTXentLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, long[] y, double tau)
    {
        var values = new List<double>();
        for (int a = 0; a < x.Length; a++)
            for (int p = 0; p < x.Length; p++)
            {
                if (p == a || y[p] != y[a]) continue;
                var num = Math.Exp(Cosine(x[a], x[p]) / tau);
                var den = num;
                for (int n = 0; n < x.Length; n++) if (y[n] != y[a]) den += Math.Exp(Cosine(x[a], x[n]) / tau);
                values.Add(-Math.Log(num / den));
            }
        return values.Average();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_the_pair_by_pair_definition(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 41);
        Close(Reference(x, labels, 0.07), Value(new NTXentLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
        Close(Reference(x, labels, 0.5), Value(new NTXentLoss(0.5).call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Two_views_give_the_simclr_loss()
    {
        var v1 = RandomEmbeddings(5, 4, seed: 42);
        var v2 = RandomEmbeddings(5, 4, seed: 43);
        var all = v1.Concat(v2).ToArray();
        // SimCLR: ℓ(i, j) = −log e^{s_ij/τ} / Σ_{k≠i} e^{s_ik/τ}, averaged over the 2N ordered positive pairs.
        double total = 0;
        for (int i = 0; i < 10; i++)
        {
            int j = (i + 5) % 10;
            var den = Enumerable.Range(0, 10).Where(k => k != i).Sum(k => Math.Exp(Cosine(all[i], all[k]) / 0.2));
            total += -Math.Log(Math.Exp(Cosine(all[i], all[j]) / 0.2) / den);
        }
        var value = new NTXentLoss(0.2).Views(ToTensor(v1, ScalarType.Float64), ToTensor(v2, ScalarType.Float64));
        Close(total / 10, Value(value), ScalarType.Float64);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var x = RandomEmbeddings(8, 3, seed: 44);
        GradientMatchesFiniteDifferences(x, e => new NTXentLoss(0.3).call(e, Labels(labels)));
    }

    [Fact]
    public void No_positives_give_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new NTXentLoss().call(e, Labels(0, 1, 2)), RandomEmbeddings(3, 3, 45));

    [Fact]
    public void Tiny_temperature_stays_finite()
    {
        var e = ToTensor(RandomEmbeddings(40, 4, seed: 46), ScalarType.Float32, requiresGrad: true);
        var value = new NTXentLoss(1e-3).call(e, Labels(Enumerable.Range(0, 40).Select(i => (long)(i % 4)).ToArray()));
        value.backward();
        Assert.True(double.IsFinite(Value(value)));
        Assert.True(e.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new NTXentLoss(0)).ParamName);
        var loss = new NTXentLoss();
        Assert.Equal("view2", Assert.Throws<ArgumentException>(() =>
            loss.Views(ToTensor(RandomEmbeddings(3, 2, 1), ScalarType.Float32), ToTensor(RandomEmbeddings(4, 2, 1), ScalarType.Float32))).ParamName);
    }
}
