using LossLab.Losses.Pairs;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class LiftedStructureLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, double mn, double mp)
    {
        var values = new List<double>();
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < x.Length; j++)
            {
                if (i == j || labels[i] != labels[j]) continue;
                var args = new List<double>();
                for (int k = 0; k < x.Length; k++)
                {
                    if (labels[k] != labels[i]) args.Add(mn - NormalizedEuclidean(x[i], x[k]));
                    if (labels[k] != labels[j]) args.Add(mn - NormalizedEuclidean(x[j], x[k]));
                }
                var lse = args.Count == 0 ? 0 : LogSumExp(args);
                var v = Math.Max(0, lse + NormalizedEuclidean(x[i], x[j]) - mp);
                values.Add(v * v / 2);
            }
        return values.Average();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 81);
        Close(Reference(x, 1, 0), Value(new LiftedStructureLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
        Close(Reference(x, 0.7, 0.2), Value(new LiftedStructureLoss(0.7, 0.2).call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Gradient_matches_finite_differences() =>
        GradientMatchesFiniteDifferences(RandomEmbeddings(8, 3, seed: 82), e => new LiftedStructureLoss().call(e, Labels(labels)));

    [Fact]
    public void No_positive_pairs_give_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new LiftedStructureLoss().call(e, Labels(0, 1, 2)), RandomEmbeddings(3, 3, 83));

    [Fact]
    public void Rejects_bad_margins() =>
        Assert.Equal("negativeMargin", Assert.Throws<ArgumentOutOfRangeException>(() => new LiftedStructureLoss(double.NaN)).ParamName);
}
