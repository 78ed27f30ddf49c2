using LossLab.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class AurocTests
{
    /// <summary>The definition over all positive–negative pairs, in the test.</summary>
    static double PairCount(double[] s, long[] y)
    {
        double wins = 0; long pairs = 0;
        for (int i = 0; i < s.Length; i++)
            for (int j = 0; j < s.Length; j++)
                if (y[i] == 1 && y[j] == 0) { pairs++; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; }
        return wins / pairs;
    }

    [Fact]
    public void Hand_example_with_a_tie()
    {
        // positives 0.9, 0.5; negatives 0.5, 0.1: pairs (0.9,0.5) 1, (0.9,0.1) 1, (0.5,0.5) ½, (0.5,0.1) 1 → 3.5/4
        Assert.Equal(0.875, Auroc.Binary(new[] { 0.9, 0.5, 0.5, 0.1 }, new long[] { 1, 1, 0, 0 }), 15);
    }

    [Fact]
    public void Matches_the_pairwise_definition_on_random_scores_with_ties()
    {
        var rng = new Random(3);
        var s = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        var y = s.Select(v => rng.NextDouble() < 0.2 + 0.5 * v ? 1L : 0L).ToArray();
        Assert.Equal(PairCount(s, y), Auroc.Binary(s, y), 12);
        Assert.Equal(PairCount(s, y), Auroc.Binary(torch.tensor(s), torch.tensor(y)), 12);
    }

    [Fact]
    public void Perfect_and_reversed_rankings_give_one_and_zero()
    {
        Assert.Equal(1.0, Auroc.Binary(new[] { 0.1, 0.2, 0.8 }, new long[] { 0, 0, 1 }));
        Assert.Equal(0.0, Auroc.Binary(new[] { 0.9, 0.2, 0.1 }, new long[] { 0, 0, 1 }));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Auroc.Binary(new[] { 0.1, 0.2 }, new long[] { 1, 1 })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => Auroc.Binary(new[] { 0.1, 0.2 }, new long[] { 1, 2 })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Auroc.Binary(new[] { 0.1, 0.2 }, new long[] { 1 })).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => Auroc.Binary(new[] { double.NaN, 0.2 }, new long[] { 1, 0 })).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => Auroc.Binary(torch.zeros(2, 2), torch.zeros(2, ScalarType.Int64))).ParamName);
    }
}
