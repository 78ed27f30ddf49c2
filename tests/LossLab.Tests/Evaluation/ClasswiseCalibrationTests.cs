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
    public void Classwise_ece_matches_hand_computation_with_two_bins()
    {
        // Class 0: p = 0.9, 0.6, 0.3, 0.2 with outcomes 1, 0, 0, 0. Bins (0, .5]: {0.3, 0.2} conf .25 freq 0;
        // (.5, 1]: {0.9, 0.6} conf .75 freq .5. ECE_0 = ½·.25 + ½·.25 = .25.
        // Class 1: p = 0.1, 0.4, 0.7, 0.8 with outcomes 0, 1, 1, 1. Low bin {0.1, 0.4}: conf .25 freq .5; high {0.7, 0.8}:
        // conf .75 freq 1. ECE_1 = ½·.25 + ½·.25 = .25.
        var perClass = ClasswiseCalibration.PerClassEce(Probabilities, Labels, 2);
        Assert.Equal(0.25, perClass[0], 15);
        Assert.Equal(0.25, perClass[1], 15);
        Assert.Equal(0.25, ClasswiseCalibration.ClasswiseEce(Probabilities, Labels, 2), 15);
    }

    [Fact]
    public void Classwise_ece_of_a_perfectly_calibrated_class_is_zero()
    {
        // Class 0 probabilities 0.5, 0.5 with one positive and one negative; 1.0 with a positive; 0.0 with a negative.
        var p = torch.tensor(new[] { 0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 0.0, 1.0 }, ScalarType.Float64).reshape(4, 2);
        var y = torch.tensor(new long[] { 0, 1, 0, 1 });
        Assert.Equal(0, ClasswiseCalibration.ClasswiseEce(p, y, 5), 15);
    }

    [Fact]
    public void Mce_is_the_largest_top_label_gap()
    {
        // Top-1 confidences 0.9 (right), 0.6 (predicted 0, label 1: wrong), 0.7 (right), 0.8 (right).
        // Ten bins: 0.6 → gap 0.6; 0.7 → gap 0.3; 0.8 → gap 0.2; 0.9 → gap 0.1.
        Assert.Equal(0.6, ClasswiseCalibration.MaxCalibrationError(Probabilities, Labels, 10), 12);
        Assert.Equal(0.6, ClasswiseCalibration.MaxCalibrationError(Probabilities, Labels, 4, BinningScheme.EqualMass), 12);
    }

    [Fact]
    public void Over_and_under_confidence_split_the_ece()
    {
        // Ten bins: 0.6 (wrong) over-confident by 0.6; 0.7, 0.8, 0.9 (right) under-confident by 0.3, 0.2, 0.1; one sample each.
        var diagram = Calibration.ReliabilityDiagram(Probabilities, Labels, 10);
        var (over, under) = ClasswiseCalibration.ConfidenceSplit(diagram);
        Assert.Equal(0.6 / 4, over, 12);
        Assert.Equal(0.6 / 4, under, 12);
        Assert.Equal(diagram.ExpectedCalibrationError, over + under, 12);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("probabilities", Assert.Throws<ArgumentOutOfRangeException>(() => ClasswiseCalibration.ClasswiseEce(Probabilities * 3, Labels)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ClasswiseCalibration.ClasswiseEce(torch.zeros(0, 2), torch.zeros(0, ScalarType.Int64))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ClasswiseCalibration.MaxCalibrationError(Probabilities, torch.tensor(new long[] { 0 }))).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => ClasswiseCalibration.PerClassEce(Probabilities, Labels, 0)).ParamName);
    }
}
