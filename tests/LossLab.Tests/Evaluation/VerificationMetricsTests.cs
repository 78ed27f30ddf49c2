using LossLab.Evaluation;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class VerificationMetricsTests
{
    // genuine 0.9 0.8 0.4, impostor 0.7 0.3 0.2 0.1
    static readonly double[] scores = [0.9, 0.7, 0.8, 0.3, 0.4, 0.2, 0.1];
    static readonly bool[] genuine = [true, false, true, false, true, false, false];

    [Fact]
    public void Hand_computed_auc_tar_and_eer()
    {
        Assert.Equal(11 / 12.0, VerificationMetrics.RocAuc(scores, genuine), 12);
        Assert.Equal(2 / 3.0, VerificationMetrics.TarAtFar(scores, genuine, 0), 12);       // threshold above 0.7
        Assert.Equal(1.0, VerificationMetrics.TarAtFar(scores, genuine, 0.25), 12);       // one impostor (0.7) accepted
        Assert.Equal(2 / 3.0, VerificationMetrics.TarAtFar(scores, genuine, 0.2), 12);    // ⌊0.2·4⌋ = 0
        // FAR/FRR at t = 0.4: (¼, 0); at t = 0.7: (¼, ⅓): crossing at FAR = FRR = ¼.
        Assert.Equal(0.25, VerificationMetrics.EqualErrorRate(scores, genuine), 12);
        Assert.Equal(0.5, VerificationMetrics.RocAuc([0.5, 0.5], [true, false]), 12);
        Assert.Equal(0.0, VerificationMetrics.EqualErrorRate([0.9, 0.1], [true, false]), 12);
        Assert.Equal(1.0, VerificationMetrics.EqualErrorRate([0.1, 0.9], [true, false]), 12);
    }

    [Fact]
    public void Auc_matches_the_pair_count_on_random_scores()
    {
        var rng = new Random(3);
        var s = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();   // rounding makes ties
        var g = Enumerable.Range(0, 200).Select(i => rng.NextDouble() < 0.3 + 0.4 * s[i]).ToArray();
        double wins = 0; int pairs = 0;
        for (int i = 0; i < 200; i++) for (int j = 0; j < 200; j++)
                if (g[i] && !g[j]) { pairs++; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; }
        Assert.Equal(wins / pairs, VerificationMetrics.RocAuc(s, g), 12);
    }

    [Fact]
    public void Pair_scores_list_every_unordered_pair()
    {
        var x = RandomEmbeddings(4, 3, 311);
        var (sc, gen) = VerificationMetrics.PairScores(ToTensor(x, ScalarType.Float32), Labels(0, 0, 1, 1));
        Assert.Equal(6, sc.Length);
        Assert.Equal(new[] { true, false, false, false, false, true }, gen);
        Assert.Equal(Cosine(x[1], x[3]), sc[4], 6);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        Assert.Equal("genuine", Assert.Throws<ArgumentException>(() => VerificationMetrics.RocAuc([0.1, 0.2], [true, true])).ParamName);
        Assert.Equal("genuine", Assert.Throws<ArgumentException>(() => VerificationMetrics.RocAuc([0.1, 0.2], [true])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => VerificationMetrics.EqualErrorRate([double.NaN, 0.2], [true, false])).ParamName);
        Assert.Equal("far", Assert.Throws<ArgumentOutOfRangeException>(() => VerificationMetrics.TarAtFar(scores, genuine, 1.5)).ParamName);
    }
}
