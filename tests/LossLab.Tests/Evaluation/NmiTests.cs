using LossLab.Evaluation;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class NmiTests
{
    [Fact]
    public void Hand_computed_values()
    {
        Assert.Equal(1.0, Nmi.Score([0, 0, 1, 1], [5, 5, 7, 7]), 12);
        Assert.Equal(0.0, Nmi.Score([0, 0, 1, 1], [0, 1, 0, 1]), 12);
        Assert.Equal(1.0, Nmi.Score([3, 3, 3], [1, 1, 1]), 12);
        // a = [0,0,1,1], b = [0,0,0,1]: H(a) = ln 2, H(b) = −(¾ ln ¾ + ¼ ln ¼),
        // I = ½ ln(½/(½·¾)) + ¼ ln(¼/(½·¾)) + ¼ ln(¼/(½·¼)) = ½ ln(4/3) + ¼ ln(2/3) + ¼ ln 2
        double ha = Math.Log(2), hb = -(0.75 * Math.Log(0.75) + 0.25 * Math.Log(0.25));
        double mi = 0.5 * Math.Log(4.0 / 3) + 0.25 * Math.Log(2.0 / 3) + 0.25 * Math.Log(2);
        Assert.Equal(mi / ((ha + hb) / 2), Nmi.Score([0, 0, 1, 1], [0, 0, 0, 1]), 12);
    }

    [Fact]
    public void Seeded_k_means_recovers_separated_blobs()
    {
        var rng = new Random(5);
        var centres = new[] { new[] { 0.0, 0 }, new[] { 10.0, 0 }, new[] { 0.0, 10 } };
        var labels = Enumerable.Range(0, 60).Select(i => (long)(i % 3)).ToArray();
        var points = labels.Select(l => centres[l].Select(c => c + rng.NextDouble() - 0.5).ToArray()).ToArray();
        Assert.Equal(1.0, Nmi.OfEmbeddings(ToTensor(points, ScalarType.Float32), Labels(labels), seed: 1), 12);
        Assert.Equal(KMeans.Cluster(points, 3, seed: 4), KMeans.Cluster(points, 3, seed: 4));
        var assign = KMeans.Cluster(points, 3, seed: 4);
        Assert.Equal(3, assign.Distinct().Count());
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Nmi.Score([0, 1], [0])).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Cluster([[0.0], [1.0]], 3)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => KMeans.Cluster([[0.0], [1.0, 2.0]], 1)).ParamName);
    }
}
