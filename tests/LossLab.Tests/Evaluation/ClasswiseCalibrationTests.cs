using LossLab.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class ClasswiseCalibrationTests
{
    // Four samples, two classes.
    static readonly double[] P = { 0.9, 0.1, 0.6, 0.4, 0.3, 0.7, 0.2, 0.8 };
    static readonly long[] Y = { 0, 1, 1, 1 };
    static Tensor Probabilities => torch.tensor(P, ScalarType.Float64).reshape(4, 2);
    static Tensor Labels => torch.tensor(Y);

    [Fact]
    public void Equal_width_bins_put_edges_in_the_lower_bin_and_zero_in_the_first()
    {
        var bins = CalibrationBins.EqualWidth(new[] { 0.0, 0.2, 0.25, 0.5, 1.0 }, new[] { 0.0, 1, 1, 0, 1 }, 4);
        // (0, .25] holds 0, 0.2 and the edge 0.25; (.25, .5] holds 0.5; (.5, .75] is empty; (.75, 1] holds 1.
        Assert.Equal(new[] { 3, 1, 0, 1 }, bins.Select(b => b.Count).ToArray());
        Assert.Equal(0.15, bins[0].MeanConfidence, 15);
        Assert.Equal(2.0 / 3, bins[0].MeanOutcome, 15);
        Assert.True(double.IsNaN(bins[2].MeanConfidence));
        Assert.Equal(0, bins[2].Gap);
        Assert.Equal(0.25, bins[0].Upper);
    }

    [Fact]
    public void Classwise_ece_matches_hand_computation_with_two_bins()
    {
        // Class 0: p = 0.9, 0.6, 0.3, 0.2 with outcomes 1, 0, 0, 0. Bins (0, .5]: {0.3, 0.2} conf .25 freq 0;
        // (.5, 1]: {0.9, 0.6} conf .75 freq .5. ECE_0 = ½·.25 + ½·.25 = .25.
        // Class 1: p = 0.1, 0.4, 0.7, 0.8 with outcomes 0, 1, 1, 1. Low bin {0.1, 0.4}: conf .25 freq .5; high {0.7, 0.8}: conf .75 freq 1.
        // ECE_1 = ½·.25 + ½·.25 = .25.
        var perClass = ClasswiseCalibration.PerClassEce(Probabilities, Labels, 2);
        Assert.Equal(0.25, perClass[0], 15);
        Assert.Equal(0.25, perClass[1], 15);
        Assert.Equal(0.25, ClasswiseCalibration.ClasswiseEce(Probabilities, Labels, 2), 15);
    }

    [Fact]
    public void Mce_is_the_largest_top_label_gap()
    {
        // Top-1 confidences 0.9 (wrong? label 0, predicted 0: right), 0.6 (predicted 0, label 1: wrong), 0.7 (right), 0.8 (right).
        // Ten bins: 0.6 → bin (0.5, 0.6] gap 0.6; 0.7 → gap 0.3; 0.8 → gap 0.2; 0.9 → gap 0.1.
        Assert.Equal(0.6, ClasswiseCalibration.MaxCalibrationError(Probabilities, Labels, 10), 12);
        var bins = ClasswiseCalibration.TopLabelBins(Probabilities, Labels, 10);
        Assert.Equal((0.1 + 0.6 + 0.3 + 0.2) / 4, CalibrationBins.ExpectedError(bins), 12);
    }

    [Fact]
    public void Perfect_calibration_gives_zero()
    {
        var bins = CalibrationBins.EqualWidth(new[] { 0.5, 0.5, 1.0 }, new[] { 1.0, 0.0, 1.0 }, 5);
        Assert.Equal(0, CalibrationBins.ExpectedError(bins), 15);
        Assert.Equal(0, CalibrationBins.MaximumError(bins), 15);
        Assert.Equal(0, CalibrationBins.ExpectedError(CalibrationBins.EqualWidth(Array.Empty<double>(), Array.Empty<double>())));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationBins.EqualWidth(new[] { 0.5 }, new[] { 1.0 }, 0)).ParamName);
        Assert.Equal("confidences", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationBins.EqualWidth(new[] { 1.5 }, new[] { 1.0 })).ParamName);
        Assert.Equal("outcomes", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationBins.EqualWidth(new[] { 0.5 }, new[] { 2.0 })).ParamName);
        Assert.Equal("outcomes", Assert.Throws<ArgumentException>(() => CalibrationBins.EqualWidth(new[] { 0.5 }, new[] { 1.0, 0 })).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentOutOfRangeException>(() => ClasswiseCalibration.ClasswiseEce(Probabilities * 3, Labels)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ClasswiseCalibration.MaxCalibrationError(Probabilities, torch.tensor(new long[] { 0 }))).ParamName);
    }
}
