using LossLab.Distances;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class DistanceTests
{
    static readonly double[][] a = RandomEmbeddings(4, 3, 61);
    static readonly double[][] b = RandomEmbeddings(5, 3, 62);

    static void MatrixMatches(IDistance distance, Func<double[], double[], double> reference)
    {
        var m = distance.Pairwise(ToTensor(a, ScalarType.Float64), ToTensor(b, ScalarType.Float64)).data<double>().ToArray();
        Assert.Equal(20, m.Length);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++)
                Close(reference(a[i], b[j]), m[i * 5 + j], ScalarType.Float64, 1e-10);
        var paired = distance.Paired(ToTensor(a, ScalarType.Float64), ToTensor(b.Take(4).ToArray(), ScalarType.Float64)).data<double>().ToArray();
        for (int i = 0; i < 4; i++) Close(reference(a[i], b[i]), paired[i], ScalarType.Float64, 1e-10);
    }

    static double Dot(double[] x, double[] y) => x.Zip(y, (u, v) => u * v).Sum();

    [Fact]
    public void Cosine_similarity_matches_its_definition()
    {
        MatrixMatches(new CosineSimilarity(), Cosine);
        Assert.True(new CosineSimilarity().IsSimilarity);
    }

    [Fact]
    public void Dot_product_raw_and_normalised()
    {
        MatrixMatches(new DotProductSimilarity(normalize: false), Dot);
        MatrixMatches(new DotProductSimilarity(), Cosine);
    }

    [Fact]
    public void Lp_distances_match_their_definitions()
    {
        MatrixMatches(new LpDistance(), NormalizedEuclidean);
        MatrixMatches(LpDistance.SquaredEuclidean(), (x, y) => x.Zip(y, (u, v) => (u - v) * (u - v)).Sum());
        MatrixMatches(new LpDistance(1, 1, normalize: false), (x, y) => x.Zip(y, (u, v) => Math.Abs(u - v)).Sum());
        MatrixMatches(new LpDistance(3, 2, normalize: false), (x, y) => Math.Pow(x.Zip(y, (u, v) => Math.Pow(Math.Abs(u - v), 3)).Sum(), 2.0 / 3));
        Assert.False(new LpDistance().IsSimilarity);
    }

    [Fact]
    public void Margin_points_towards_far()
    {
        var x = tensor(new[] { 0.2 }); var y = tensor(new[] { 0.5 });
        IDistance d = new LpDistance(); IDistance s = new CosineSimilarity();
        Assert.Equal(-0.3, d.Margin(x, y).item<double>(), 12);
        Assert.Equal(0.3, s.Margin(x, y).item<double>(), 12);
    }

    [Fact]
    public void Rejects_bad_parameters()
    {
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() => new LpDistance(0.5)).ParamName);
        Assert.Equal("power", Assert.Throws<ArgumentOutOfRangeException>(() => new LpDistance(2, 0)).ParamName);
    }
}
