using LossLab.Losses.Pairs;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class SupConLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, long[] y, double tau)
    {
        var values = new List<double>();
        for (int i = 0; i < x.Length; i++)
        {
            var ps = Enumerable.Range(0, x.Length).Where(p => p != i && y[p] == y[i]).ToArray();
            if (ps.Length == 0) { values.Add(0); continue; }
            var den = Enumerable.Range(0, x.Length).Where(a => a != i).Sum(a => Math.Exp(Cosine(x[i], x[a]) / tau));
            values.Add(-ps.Average(p => Math.Log(Math.Exp(Cosine(x[i], x[p]) / tau) / den)));
        }
        return AverageNonZero(values);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_the_l_out_definition(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 51);
        Close(Reference(x, labels, 0.1), Value(new SupConLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var x = RandomEmbeddings(8, 3, seed: 52);
        GradientMatchesFiniteDifferences(x, e => new SupConLoss(0.5).call(e, Labels(labels)));
    }

    [Fact]
    public void With_one_positive_per_anchor_equals_nt_xent_per_anchor()
    {
        // two views, one positive each: SupCon's per-anchor mean over one positive is NT-Xent's pair term.
        var x = RandomEmbeddings(8, 3, seed: 53);
        var y = Labels(0, 1, 2, 3, 0, 1, 2, 3);
        var e = ToTensor(x, ScalarType.Float64);
        Close(Value(new NTXentLoss(0.3).call(e, y)), Value(new SupConLoss(0.3).call(e, y)), ScalarType.Float64);
    }

    [Fact]
    public void No_negatives_or_no_positives_give_zero_with_zero_gradient()
    {
        ZeroWithZeroGradient(e => new SupConLoss().call(e, Labels(0, 0, 0)), RandomEmbeddings(3, 3, 54));
        ZeroWithZeroGradient(e => new SupConLoss().call(e, Labels(0, 1, 2)), RandomEmbeddings(3, 3, 54));
    }

    [Fact]
    public void Rejects_bad_temperature() =>
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new SupConLoss(-1)).ParamName);
}
