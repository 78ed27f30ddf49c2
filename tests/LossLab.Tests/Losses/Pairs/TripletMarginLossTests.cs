using LossLab.Losses.Pairs;
using LossLab.Miners;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class TripletMarginLossTests
{
    static readonly long[] labels = [0, 0, 0, 1, 1, 2, 2, 3];

    static double D(double[][] x, int i, int j) => NormalizedEuclidean(x[i], x[j]);

    static double Cost(double v, bool soft) => soft ? Softplus(v) : Math.Max(0, v);

    static double AllTriplets(double[][] x, double m, bool soft)
    {
        var values = new List<double>();
        for (int a = 0; a < x.Length; a++)
            for (int p = 0; p < x.Length; p++)
                for (int n = 0; n < x.Length; n++)
                    if (p != a && labels[p] == labels[a] && labels[n] != labels[a])
                        values.Add(Cost(D(x, a, p) - D(x, a, n) + m, soft));
        return AverageNonZero(values);
    }

    static double BatchHard(double[][] x, double m, bool soft)
    {
        var values = new List<double>();
        for (int a = 0; a < x.Length; a++)
        {
            var ps = Enumerable.Range(0, x.Length).Where(p => p != a && labels[p] == labels[a]).ToArray();
            var ns = Enumerable.Range(0, x.Length).Where(n => labels[n] != labels[a]).ToArray();
            if (ps.Length == 0 || ns.Length == 0) continue;
            values.Add(Cost(ps.Max(p => D(x, a, p)) - ns.Min(n => D(x, a, n)) + m, soft));
        }
        return AverageNonZero(values);
    }

    static double SemiHard(double[][] x, double m)
    {
        var values = new List<double>();
        for (int a = 0; a < x.Length; a++)
            for (int p = 0; p < x.Length; p++)
                for (int n = 0; n < x.Length; n++)
                    if (p != a && labels[p] == labels[a] && labels[n] != labels[a])
                    {
                        var delta = D(x, a, n) - D(x, a, p);
                        if (delta > 0 && delta <= m) values.Add(Math.Max(0, m - delta));
                    }
        return AverageNonZero(values);
    }

    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.Float64, false)]
    [InlineData(ScalarType.Float64, true)]
    public void All_triplets_match_an_explicit_loop(ScalarType dtype, bool soft)
    {
        var x = RandomEmbeddings(8, 3, seed: 11);
        var loss = new TripletMarginLoss(0.3, soft);
        Close(AllTriplets(x, 0.3, soft), Value(loss.call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.Float64, false)]
    [InlineData(ScalarType.Float64, true)]
    public void Batch_hard_matches_an_explicit_loop(ScalarType dtype, bool soft)
    {
        var x = RandomEmbeddings(8, 3, seed: 12);
        var loss = new TripletMarginLoss(soft ? 0 : 0.2, soft, miner: new BatchHardMiner());
        Close(BatchHard(x, soft ? 0 : 0.2, soft), Value(loss.call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Semi_hard_matches_an_explicit_loop(ScalarType dtype)
    {
        var x = RandomEmbeddings(8, 3, seed: 13);
        var loss = new TripletMarginLoss(0.4, miner: new TripletMarginMiner(0.4, TripletSelection.SemiHard));
        var expected = SemiHard(x, 0.4);
        Assert.True(expected > 0);
        Close(expected, Value(loss.call(ToTensor(x, dtype), Labels(labels))), dtype);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_matches_finite_differences(bool batchHard)
    {
        var x = RandomEmbeddings(8, 3, seed: 14);
        var loss = new TripletMarginLoss(0.3, miner: batchHard ? new BatchHardMiner() : null);
        GradientMatchesFiniteDifferences(x, e => loss.call(e, Labels(labels)));
    }

    [Fact]
    public void No_positive_pairs_give_zero_with_zero_gradient()
    {
        ZeroWithZeroGradient(e => new TripletMarginLoss().call(e, Labels(0, 1, 2, 3)), RandomEmbeddings(4, 3, 15));
        ZeroWithZeroGradient(e => new TripletMarginLoss(miner: new BatchHardMiner()).call(e, Labels(0, 1, 2, 3)), RandomEmbeddings(4, 3, 15));
    }

    [Fact]
    public void Rejects_out_of_range_tuples()
    {
        var e = ToTensor(RandomEmbeddings(4, 3, 16), ScalarType.Float32);
        var bad = new TripletTuples(Labels(0), Labels(1), Labels(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TripletMarginLoss().Forward(e, Labels(0, 0, 1, 1), bad));
        var uneven = new TripletTuples(Labels(0, 1), Labels(1), Labels(2));
        Assert.Throws<ArgumentException>(() => new TripletMarginLoss().Forward(e, Labels(0, 0, 1, 1), uneven));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TripletMarginLoss(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TripletMarginMiner(0.2, (TripletSelection)9));
    }
}
