using LossLab.Losses.Pairs;
using LossLab.Distances;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class ContrastiveLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, long[] y, double mp, double mn)
    {
        var pos = new List<double>(); var neg = new List<double>();
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < x.Length; j++)
            {
                if (i == j) continue;
                var d = NormalizedEuclidean(x[i], x[j]);
                if (y[i] == y[j]) pos.Add(Math.Max(0, d - mp)); else neg.Add(Math.Max(0, mn - d));
            }
        return AverageNonZero(pos) + AverageNonZero(neg);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop_over_pairs(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 1);
        var loss = new ContrastiveLoss(0.1, 1.2);
        Close(Reference(x, labels, 0.1, 1.2), Value(loss.call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void Hand_computed_case_on_the_unit_circle()
    {
        // points at 0°, 60°, 180°: labels 0, 0, 1. Normalised distances: |0°−60°| = 1, |0°−180°| = 2, |60°−180°| = √3.
        var x = new[] { new[] { 1.0, 0 }, new[] { 0.5, Math.Sqrt(3) / 2 }, new[] { -1.0, 0 } };
        var loss = new ContrastiveLoss(0.5, 1.9);
        // positives: (0,1),(1,0): 1 − 0.5 = 0.5 each → mean 0.5. Negatives: 1.9 − 2 < 0 → 0, 1.9 − √3 = 0.1679… → mean over non-zero.
        var expected = 0.5 + (1.9 - Math.Sqrt(3));
        Close(expected, Value(loss.call(ToTensor(x, ScalarType.Float64), Labels(0, 0, 1))), ScalarType.Float64);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var x = RandomEmbeddings(8, 3, seed: 2);
        var loss = new ContrastiveLoss(0.1, 1.2);
        GradientMatchesFiniteDifferences(x, e => loss.call(e, Labels(labels)));
    }

    [Fact]
    public void Cosine_similarity_flips_the_hinges()
    {
        var x = RandomEmbeddings(8, 3, seed: 3);
        var loss = new ContrastiveLoss(0.8, 0.3, new CosineSimilarity());
        var pos = new List<double>(); var neg = new List<double>();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                if (i != j)
                {
                    var s = Cosine(x[i], x[j]);
                    if (labels[i] == labels[j]) pos.Add(Math.Max(0, 0.8 - s)); else neg.Add(Math.Max(0, s - 0.3));
                }
        Close(AverageNonZero(pos) + AverageNonZero(neg), Value(loss.call(ToTensor(x, ScalarType.Float64), Labels(labels))), ScalarType.Float64);
    }

    [Fact]
    public void Single_embedding_gives_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new ContrastiveLoss().call(e, Labels(0)), RandomEmbeddings(1, 3, 4));

    [Fact]
    public void Rejects_bad_inputs()
    {
        var loss = new ContrastiveLoss();
        var e = ToTensor(RandomEmbeddings(4, 3, 5), ScalarType.Float32);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => loss.call(e, Labels(0, 1, 2))).ParamName);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => loss.call(e.flatten(), Labels(0, 1, 2, 3))).ParamName);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => loss.call(e.to_type(ScalarType.Int64), Labels(0, 1, 2, 3))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => loss.call(e, Labels(0, 1, 2, 3).to_type(ScalarType.Float32))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContrastiveLoss(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContrastiveLoss(0, double.PositiveInfinity));
    }
}
