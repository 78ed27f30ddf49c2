using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class VerificationPairsTests
{
    [Fact]
    public void All_pairs_by_hand()
    {
        // unit vectors at 0°, 60°, 90°; labels 0, 0, 1
        double[] angles = [0, 60, 90];
        using var x = tensor(angles.SelectMany(a => new[] { Math.Cos(a * Math.PI / 180), Math.Sin(a * Math.PI / 180) }).ToArray(), [3, 2]);
        using var y = tensor(new long[] { 0, 0, 1 });
        var pairs = VerificationPairs.All(x, y);
        Assert.Equal(new[] { 0, 0, 1 }, pairs.First);
        Assert.Equal(new[] { 1, 2, 2 }, pairs.Second);
        Assert.Equal(new[] { true, false, false }, pairs.Genuine);
        Assert.Equal(0.5, pairs.Scores[0], 12);
        Assert.Equal(0, pairs.Scores[1], 12);
        Assert.Equal(Math.Cos(Math.PI / 6), pairs.Scores[2], 12);
    }

    [Fact]
    public void Threshold_and_TAR_by_hand()
    {
        // impostors 0.9, 0.5, 0.4, 0.3, 0.1 (M = 5); genuine 0.95, 0.6, 0.45, 0.2
        var pairs = new VerificationPairs(
            [0.9, 0.95, 0.5, 0.6, 0.4, 0.45, 0.3, 0.2, 0.1],
            [false, true, false, true, false, true, false, true, false],
            new int[9], new int[9]);
        // far 0.2: ⌊0.2·5⌋ = 1 false accept allowed → threshold 0.5 (only 0.9 above); TAR = {0.95, 0.6} / 4
        Assert.Equal(0.5, pairs.Threshold(0.2), 12);
        Assert.Equal(0.5, pairs.TarAtFar(0.2), 12);
        // far 0.1: ⌊0.5⌋ = 0 → threshold 0.9 → TAR 1/4
        Assert.Equal(0.25, pairs.TarAtFar(0.1), 12);
        // far 1 accepts everything
        Assert.Equal(1.0, pairs.TarAtFar(1), 12);
        // a subset of genuine pairs (indices 3 and 5: 0.6 and 0.45) at far 0.2 → 1/2
        Assert.Equal(0.5, pairs.TarAtFar(0.2, k => k is 3 or 5), 12);
        Assert.True(double.IsNaN(pairs.TarAtFar(0.2, _ => false)));
    }

    [Fact]
    public void TAR_by_quality_tercile_matches_an_explicit_loop()
    {
        // Nine images of three identities at hand-picked angles, each with its quality.
        double[] angles = [0, 0.3, 0.7, 2, 2.4, 2.9, 4, 4.5, 5.1];
        long[] y = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        double[] q = [0.9, 0.2, 0.5, 0.8, 0.1, 0.6, 0.35, 0.75, 0.45];
        using var z = tensor(angles.SelectMany(a => new[] { Math.Cos(a), Math.Sin(a) }).ToArray(), [9, 2]);
        using var labels = tensor(y);
        var pairs = VerificationPairs.All(z, labels);
        var got = pairs.TarAtFarByQuality(0.2, q);

        var list = new List<(double Score, bool Genuine, double Quality)>();
        for (int i = 0; i < 9; i++)
            for (int j = i + 1; j < 9; j++)
                list.Add((Math.Cos(angles[i] - angles[j]), y[i] == y[j], Math.Min(q[i], q[j])));
        var impostors = list.Where(p => !p.Genuine).Select(p => p.Score).OrderByDescending(v => v).ToArray();
        double threshold = impostors[(int)Math.Floor(0.2 * impostors.Length)];
        var genuine = list.Where(p => p.Genuine).ToArray();
        var sorted = genuine.Select(p => p.Quality).Order().ToArray();   // 0.1 0.1 0.2 0.2 0.35 0.35 0.45 0.5 0.6
        double[] cuts = [double.NegativeInfinity, sorted[3], sorted[6], double.PositiveInfinity];
        Assert.Equal(3, got.Length);
        for (int t = 0; t < 3; t++)
        {
            var group = genuine.Where(p => p.Quality >= cuts[t] && p.Quality < cuts[t + 1]).ToArray();
            Assert.Equal(group.Count(p => p.Score > threshold + 1e-12) / (double)group.Length, got[t], 12);
        }
        Assert.Throws<ArgumentException>(() => pairs.TarAtFarByQuality(0.2, q.Take(5).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => pairs.TarAtFarByQuality(0.2, q, groups: 10));
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        var genuineOnly = new VerificationPairs([0.5], [true], [0], [1]);
        Assert.Throws<InvalidOperationException>(() => genuineOnly.Threshold(0.1));
        Assert.Equal("far", Assert.ThrowsAny<ArgumentException>(() => genuineOnly.Threshold(1.5)).ParamName);
        using var x = randn(3, 2);
        using var y = tensor(new long[] { 0, 1 });
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => VerificationPairs.All(x, y)).ParamName);
    }
}
