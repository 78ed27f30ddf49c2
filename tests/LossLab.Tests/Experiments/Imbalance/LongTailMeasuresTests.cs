using LossLab.Experiments.Imbalance;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Imbalance;

public class LongTailMeasuresTests
{
    [Fact]
    public void Average_precision_and_best_f1_match_hand_computation()
    {
        // Ranked: 0.9 (+), 0.8 (−), 0.7 (+), 0.1 (−). AP = (1/1 + 2/3)/2; F1 at the top 1 = 2/(1+2), top 3 = 4/(3+2).
        double[] scores = [0.1, 0.7, 0.9, 0.8];
        bool[] positive = [false, true, true, false];
        Assert.Equal((1 + 2.0 / 3) / 2, BinaryRanking.AveragePrecision(scores, positive), 12);
        Assert.Equal(0.8, BinaryRanking.BestF1(scores, positive), 12);
        Assert.Equal(0, BinaryRanking.AveragePrecision(scores, [false, false, false, false]));
        Assert.Throws<ArgumentException>(() => BinaryRanking.AveragePrecision(scores, [true]));
    }

    [Fact]
    public void Easy_negative_share_matches_an_explicit_sum()
    {
        // σ(−4) ≈ 0.018 (easy negative), σ(0) = 0.5 (hard negative), σ(−4) on a positive (not a negative).
        var z = tensor(new float[] { -4, 0, -4 }).reshape(3, 1);
        var y = tensor(new float[] { 0, 0, 1 }).reshape(3, 1);
        var l = tensor(new float[] { 1, 3, 6 });
        Assert.Equal(1.0 / 10, EasyNegatives.Share(l, z, y), 12);
        Assert.Equal(0, EasyNegatives.Share(zeros(3), z, y));
    }

    [Fact]
    public void Rank_flips_count_discordant_pairs_and_ties_flip_nothing()
    {
        Assert.Equal(0, CalibrationReport.RankFlips([1, 2, 3], [10, 20, 30]));
        Assert.Equal(3, CalibrationReport.RankFlips([1, 2, 3], [3, 2, 1]));
        Assert.Equal(1, CalibrationReport.RankFlips([1, 2, 3], [2, 1, 3]));
        Assert.Equal(0, CalibrationReport.RankFlips([1, 1, 1], [3, 2, 1]));
    }

    [Fact]
    public void Uniform_predictor_has_the_share_of_class_zero_as_accuracy_and_its_gap_to_one_over_c_as_ece()
    {
        var labels = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1 });   // 3 of 10 are class 0
        var (accuracy, ece) = CalibrationReport.UniformPredictor(labels, 4, 15);
        Assert.Equal(0.3, accuracy, 12);
        Assert.Equal(Math.Abs(0.3 - 0.25), ece, 6);
    }

    [Fact]
    public void Head_class_baseline_is_one_over_the_classes_present()
    {
        Assert.Equal(1.0 / 3, LongTailBaseline.HeadClassBalancedAccuracy(tensor(new long[] { 0, 1, 2, 2 }), [5, 50, 7]), 12);
        Assert.Equal(0.0, LongTailBaseline.HeadClassBalancedAccuracy(tensor(new long[] { 0, 2 }), [5, 50, 7]), 12);
    }

    [Fact]
    public void Logit_offsets_are_class_means_minus_their_mean_in_float64()
    {
        var run = new LongTailRun
        {
            Method = "m", Seed = 1, Scores = LongTailScores.Of(zeros(2, 3), tensor(new long[] { 0, 1 }), [1, 1, 1], ones(3, 2)),
            TestLogits = tensor(new float[] { 1, 2, 6, 3, 0, 0 }).reshape(2, 3), EpochLoss = [], CurveEpochs = [], Curves = new Dictionary<string, double[]>(),
        };
        // Class means 2, 1, 3; their mean 2.
        Assert.Equal(new[] { 0.0, -1, 1 }, run.LogitOffsets().Select(v => Math.Round(v, 12)).ToArray());
    }
}
