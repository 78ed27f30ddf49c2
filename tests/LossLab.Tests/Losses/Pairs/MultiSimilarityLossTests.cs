using LossLab.Losses.Pairs;
using LossLab.Miners;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class MultiSimilarityLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double Reference(double[][] x, double alpha, double beta, double lambda, Func<int, int, bool>? keepPos = null,
        Func<int, int, bool>? keepNeg = null)
    {
        var total = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double sp = 0, sn = 0;
            for (int j = 0; j < x.Length; j++)
            {
                if (i == j) continue;
                var s = Cosine(x[i], x[j]);
                if (labels[i] == labels[j] && (keepPos?.Invoke(i, j) ?? true)) sp += Math.Exp(-alpha * (s - lambda));
                if (labels[i] != labels[j] && (keepNeg?.Invoke(i, j) ?? true)) sn += Math.Exp(beta * (s - lambda));
            }
            total += Math.Log(1 + sp) / alpha + Math.Log(1 + sn) / beta;
        }
        return total / x.Length;
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 21);
        Close(Reference(x, 2, 50, 0.5), Value(new MultiSimilarityLoss().call(ToTensor(x, dtype), Labels(labels))), dtype);
        Close(Reference(x, 3, 7, 0.2), Value(new MultiSimilarityLoss(3, 7, 0.2).call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Fact]
    public void With_its_miner_matches_the_paper_mining_rule()
    {
        var x = RandomEmbeddings(8, 3, seed: 22);
        const double eps = 0.1;
        double S(int i, int j) => Cosine(x[i], x[j]);
        double MinPos(int i) => Enumerable.Range(0, 8).Where(j => j != i && labels[j] == labels[i]).Select(j => S(i, j)).DefaultIfEmpty(double.PositiveInfinity).Min();
        double MaxNeg(int i) => Enumerable.Range(0, 8).Where(j => labels[j] != labels[i]).Select(j => S(i, j)).DefaultIfEmpty(double.NegativeInfinity).Max();
        var expected = Reference(x, 2, 50, 0.5, (i, j) => S(i, j) < MaxNeg(i) + eps, (i, k) => S(i, k) > MinPos(i) - eps);
        var loss = new MultiSimilarityLoss(miner: new MultiSimilarityMiner(eps));
        Close(expected, Value(loss.call(ToTensor(x, ScalarType.Float64), Labels(labels))), ScalarType.Float64);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var x = RandomEmbeddings(8, 3, seed: 23);
        GradientMatchesFiniteDifferences(x, e => new MultiSimilarityLoss(2, 10, 0.5).call(e, Labels(labels)));
    }

    [Fact]
    public void Beta_100_stays_finite()
    {
        var x = RandomEmbeddings(60, 4, seed: 24);
        var y = Labels(Enumerable.Range(0, 60).Select(i => (long)(i % 3)).ToArray());
        var e = ToTensor(x, ScalarType.Float32, requiresGrad: true);
        var value = new MultiSimilarityLoss(2, 100, 0.5).call(e, y);
        value.backward();
        Assert.True(double.IsFinite(Value(value)) && Value(value) > 0);
        Assert.True(e.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Single_embedding_gives_zero_with_zero_gradient() =>
        ZeroWithZeroGradient(e => new MultiSimilarityLoss().call(e, Labels(0)), RandomEmbeddings(1, 3, 25));

    [Fact]
    public void Rejects_bad_hyperparameters()
    {
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiSimilarityLoss(0)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiSimilarityLoss(2, -1)).ParamName);
        Assert.Equal("base", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiSimilarityLoss(2, 50, double.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiSimilarityMiner(-0.1)).ParamName);
    }
}
