using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class KnnAccuracyTests
{
    [Fact]
    public void Hand_built_votes()
    {
        // references at angles 0°, 10°, 20° (label 0) and 90°, 100° (label 1), 180° (label 2)
        double[] angles = [0, 10, 20, 90, 100, 180];
        var refs = angles.SelectMany(a => new[] { Math.Cos(a * Math.PI / 180), Math.Sin(a * Math.PI / 180) }).ToArray();
        using var r = tensor(refs, [6, 2]);
        using var ry = tensor(new long[] { 0, 0, 0, 1, 1, 2 });
        // queries at 5° (label 0), 95° (label 1), 60° (label 1)
        double[] q = [5, 95, 60];
        using var tq = tensor(q.SelectMany(a => new[] { Math.Cos(a * Math.PI / 180), Math.Sin(a * Math.PI / 180) }).ToArray(), [3, 2]);
        using var qy = tensor(new long[] { 0, 1, 1 });
        // k = 1: 0°/10° → 0 ✓, 90°/100° → 1 ✓, 60° nearest 90° → 1 ✓
        Assert.Equal(1.0, KnnAccuracy.Evaluate(tq, qy, r, ry, k: 1), 12);
        // k = 3: 5° → {0, 10, 20} → 0 ✓; 95° → {90, 100, 20?}: cos to 20° = cos 75°, to 180° = cos 85° → {90,100,20} → 1 ✓;
        // 60° → {90 (30°), 20 (40°), 100 (40°)}: tie 20 vs 100 by index order of topk is irrelevant, labels {1,0,1} → 1 ✓
        Assert.Equal(1.0, KnnAccuracy.Evaluate(tq, qy, r, ry, k: 3), 12);
        // k = 6: everyone votes 0 (three of six)
        Assert.Equal(1 / 3.0, KnnAccuracy.Evaluate(tq, qy, r, ry, k: 6), 12);
    }

    [Fact]
    public void Ties_go_to_the_label_met_first()
    {
        Assert.Equal(7, KnnAccuracy.Vote([7, 3, 3, 7]));
        Assert.Equal(3, KnnAccuracy.Vote([3, 7]));
        Assert.Equal(7, KnnAccuracy.Vote([3, 7, 7]));
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        using var q = randn(2, 3);
        using var qy = tensor(new long[] { 0, 1 });
        using var r = randn(4, 2);
        using var ry = tensor(new long[] { 0, 1, 0, 1 });
        Assert.Equal("references", Assert.Throws<ArgumentException>(() => KnnAccuracy.Evaluate(q, qy, r, ry)).ParamName);
        using var r3 = randn(4, 3);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KnnAccuracy.Evaluate(q, qy, r3, ry, k: 5)).ParamName);
        using var badLabels = tensor(new long[] { 0, 1, 0 });
        Assert.Equal("referenceLabels", Assert.Throws<ArgumentException>(() => KnnAccuracy.Evaluate(q, qy, r3, badLabels)).ParamName);
    }
}
