using LossLab.Distances;
using LossLab.Miners;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class MinerTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static HashSet<(long, long)> Pairs(Tensor a, Tensor b) =>
        a.data<long>().ToArray().Zip(b.data<long>().ToArray()).Select(t => (t.First, t.Second)).ToHashSet();

    [Fact]
    public void Batch_hard_picks_the_farthest_positive_and_closest_negative()
    {
        var x = RandomEmbeddings(8, 3, 71);
        var t = (TripletTuples)new BatchHardMiner().Mine(ToTensor(x, ScalarType.Float64), Labels(labels));
        var a = t.Anchors.data<long>().ToArray();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6 }, a);          // anchor 7 has no positive
        for (int k = 0; k < a.Length; k++)
        {
            int i = (int)a[k];
            var ps = Enumerable.Range(0, 8).Where(j => j != i && labels[j] == labels[i]);
            var ns = Enumerable.Range(0, 8).Where(j => labels[j] != labels[i]);
            Assert.Equal(ps.MaxBy(j => NormalizedEuclidean(x[i], x[j])), (int)t.Positives.data<long>()[k]);
            Assert.Equal(ns.MinBy(j => NormalizedEuclidean(x[i], x[j])), (int)t.Negatives.data<long>()[k]);
        }
        var bySim = (TripletTuples)new BatchHardMiner(new CosineSimilarity()).Mine(ToTensor(x, ScalarType.Float64), Labels(labels));
        Assert.Equal(t.Positives.data<long>().ToArray(), bySim.Positives.data<long>().ToArray());
        Assert.Equal(t.Negatives.data<long>().ToArray(), bySim.Negatives.data<long>().ToArray());
    }

    [Fact]
    public void Hard_negative_miner_skips_the_top_k_and_keeps_the_next()
    {
        var x = RandomEmbeddings(8, 3, 72);
        var p = (PairTuples)new HardNegativeMiner(2, skipTopK: 1).Mine(ToTensor(x, ScalarType.Float64), Labels(labels));
        var expected = new HashSet<(long, long)>();
        for (int i = 0; i < 8; i++)
            foreach (var n in Enumerable.Range(0, 8).Where(j => labels[j] != labels[i]).OrderByDescending(j => Cosine(x[i], x[j])).Skip(1).Take(2))
                expected.Add((i, n));
        Assert.Equal(expected, Pairs(p.NegativeAnchors, p.Negatives));
        var positives = Pairs(p.PositiveAnchors, p.Positives);
        Assert.Equal(Enumerable.Range(0, 8).Sum(i => Enumerable.Range(0, 8).Count(j => j != i && labels[j] == labels[i])), positives.Count);
    }

    [Fact]
    public void Random_and_mixed_miners_are_seeded_and_respect_counts()
    {
        var e = ToTensor(RandomEmbeddings(8, 3, 73), ScalarType.Float64);
        var r1 = (PairTuples)new RandomNegativeMiner(3, seed: 5).Mine(e, Labels(labels));
        var r2 = (PairTuples)new RandomNegativeMiner(3, seed: 5).Mine(e, Labels(labels));
        Assert.Equal(Pairs(r1.NegativeAnchors, r1.Negatives), Pairs(r2.NegativeAnchors, r2.Negatives));
        var counts = r1.NegativeAnchors.data<long>().ToArray().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts.Values, c => Assert.Equal(3, c));
        Assert.All(Pairs(r1.NegativeAnchors, r1.Negatives), pr => Assert.NotEqual(labels[pr.Item1], labels[pr.Item2]));

        var x = RandomEmbeddings(8, 3, 73);
        var mix = (PairTuples)new HardRandomNegativeMiner(1, 2, seed: 3).Mine(e, Labels(labels));
        var negs = Pairs(mix.NegativeAnchors, mix.Negatives);
        for (int i = 0; i < 8; i++)
        {
            var hardest = Enumerable.Range(0, 8).Where(j => labels[j] != labels[i]).MaxBy(j => Cosine(x[i], x[j]));
            Assert.Contains((i, (long)hardest), negs);
            Assert.Equal(3, negs.Count(pr => pr.Item1 == i));
        }
    }

    [Fact]
    public void Miners_reject_bad_counts()
    {
        Assert.Equal("negativesPerAnchor", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomNegativeMiner(0)).ParamName);
        Assert.Equal("skipTopK", Assert.Throws<ArgumentOutOfRangeException>(() => new HardNegativeMiner(2, -1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardRandomNegativeMiner(0, 0));
    }
}
