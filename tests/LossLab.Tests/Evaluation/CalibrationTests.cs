using LossLab.Evaluation;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class CalibrationTests
{
    // Six top-label predictions: confidence and whether right.
    static readonly double[] Conf = [0.9, 0.95, 0.7, 0.65, 0.3, 0.5];
    static readonly bool[] Right = [true, false, true, true, false, true];

    [Fact]
    public void Equal_width_ECE_by_hand()
    {
        // B = 5: (0.8, 1]: {0.9 ✓, 0.95 ✗} conf 0.925 acc 0.5; (0.6, 0.8]: {0.7 ✓, 0.65 ✓} conf 0.675 acc 1;
        // (0.4, 0.6]: {0.5 ✓}; (0.2, 0.4]: {0.3 ✗}; (0, 0.2]: empty
        // ECE = (2·0.425 + 2·0.325 + 1·0.5 + 1·0.3) / 6 = 2.3 / 6
        var d = Calibration.ReliabilityDiagram(Conf, Right, 5, BinningScheme.EqualWidth);
        Assert.Equal(2.3 / 6, d.ExpectedCalibrationError, 12);
        Assert.Equal(2.3 / 6, Calibration.ExpectedCalibrationError(Conf, Right, 5), 12);
        Assert.Equal(new[] { 0, 1, 1, 2, 2 }, d.Bins.Select(b => b.Count));
        Assert.Equal(0.925, d.Bins[4].Confidence, 12);
        Assert.Equal(0.5, d.Bins[4].Accuracy, 12);
        Assert.Equal(0.675, d.Bins[3].Confidence, 12);
        Assert.Equal(1.0, d.Bins[3].Accuracy, 12);
        Assert.Equal((0.6, 0.8), (d.Bins[3].Lower, d.Bins[3].Upper));
        Assert.True(double.IsNaN(d.Bins[0].Confidence) && double.IsNaN(d.Bins[0].Accuracy));
        Assert.Equal(6, d.Count);
    }

    [Fact]
    public void Equal_width_bins_are_closed_on_the_right()
    {
        // 0.4 = 2/5 belongs to (0.2, 0.4]; 0 belongs to the first bin; 1 to the last
        var d = Calibration.ReliabilityDiagram([0.4, 0.0, 1.0], [true, false, true], 5);
        Assert.Equal(new[] { 1, 1, 0, 0, 1 }, d.Bins.Select(b => b.Count));
    }

    [Fact]
    public void Equal_mass_ECE_by_hand()
    {
        // sorted: 0.3 ✗, 0.5 ✓ | 0.65 ✓, 0.7 ✓ | 0.9 ✓, 0.95 ✗  (B = 3, two per bin)
        // gaps |0.5 − 0.4| = 0.1, |1 − 0.675| = 0.325, |0.5 − 0.925| = 0.425 → ECE = (0.2 + 0.65 + 0.85) / 6
        var d = Calibration.ReliabilityDiagram(Conf, Right, 3, BinningScheme.EqualMass);
        Assert.Equal(1.7 / 6, d.ExpectedCalibrationError, 12);
        Assert.Equal(new[] { 2, 2, 2 }, d.Bins.Select(b => b.Count));
        Assert.Equal((0.3, 0.5), (d.Bins[0].Lower, d.Bins[0].Upper));
        Assert.Equal(0.4, d.Bins[0].Confidence, 12);
        Assert.Equal(BinningScheme.EqualMass, d.Scheme);
        // B = 4 over 6 samples: sizes 2, 2, 1, 1 (the larger runs first)
        var four = Calibration.ReliabilityDiagram(Conf, Right, 4, BinningScheme.EqualMass);
        Assert.Equal(new[] { 2, 2, 1, 1 }, four.Bins.Select(b => b.Count));
        // |1 − 0.9| and |0 − 0.95| for the single-sample bins → (0.2 + 0.65 + 0.1 + 0.95) / 6
        Assert.Equal(1.9 / 6, four.ExpectedCalibrationError, 12);
    }

    // Four samples, three classes: P, label, confidence, right?
    //   [0.7, 0.2, 0.1]    y = 0  0.7 ✓
    //   [0.3, 0.6, 0.1]    y = 0  0.6 ✗
    //   [0.1, 0.1, 0.8]    y = 2  0.8 ✓
    //   [0.25, 0.25, 0.5]  y = 1  0.5 ✗
    static Tensor Probabilities() => tensor(new double[] { 0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.1, 0.1, 0.8, 0.25, 0.25, 0.5 }, [4, 3]);
    static Tensor Labels() => tensor(new long[] { 0, 0, 2, 1 });

    [Fact]
    public void ECE_from_probabilities_by_hand()
    {
        using var p = Probabilities();
        using var y = Labels();
        // B = 2: (0, 0.5]: {0.5 ✗} gap 0.5; (0.5, 1]: {0.7 ✓, 0.6 ✗, 0.8 ✓} conf 0.7, acc 2/3, gap 1/30
        // ECE = (0.5 + 3/30) / 4 = 0.15
        Assert.Equal(0.15, Calibration.ExpectedCalibrationError(p, y, 2), 12);
        using var p32 = p.to_type(ScalarType.Float32);
        Assert.Equal(0.15, Calibration.ExpectedCalibrationError(p32, y, 2), 6);
    }

    [Fact]
    public void NLL_and_Brier_by_hand()
    {
        using var p = Probabilities();
        using var y = Labels();
        double nll = -(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.8) + Math.Log(0.25)) / 4;
        Assert.Equal(nll, Calibration.NegativeLogLikelihood(p, y), 12);
        // rows: 0.3² + 0.2² + 0.1² = 0.14; 0.7² + 0.6² + 0.1² = 0.86; 0.1² + 0.1² + 0.2² = 0.06; 0.25² + 0.75² + 0.5² = 0.875
        Assert.Equal((0.14 + 0.86 + 0.06 + 0.875) / 4, Calibration.BrierScore(p, y), 12);
    }

    [Fact]
    public void A_perfectly_confident_right_model_scores_zero()
    {
        using var p = tensor(new double[] { 1, 0, 0, 1 }, [2, 2]);
        using var y = tensor(new long[] { 0, 1 });
        Assert.Equal(0.0, Calibration.ExpectedCalibrationError(p, y), 12);
        Assert.Equal(0.0, Calibration.NegativeLogLikelihood(p, y), 12);
        Assert.Equal(0.0, Calibration.BrierScore(p, y), 12);
        using var wrong = tensor(new long[] { 1, 0 });
        Assert.Equal(double.PositiveInfinity, Calibration.NegativeLogLikelihood(p, wrong));
        Assert.Equal(2.0, Calibration.BrierScore(p, wrong), 12);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_the_argument_named()
    {
        using var y = Labels();
        using var logits = tensor(new double[] { 2, -1, 0, 1, 1, 1, 0, 0, 0, 3, 0, 0 }, [4, 3]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.BrierScore(logits, y));
        Assert.Equal("probabilities", ex.ParamName);
        using var unnormalised = tensor(new double[] { 0.5, 0.2, 0.1, 0.3, 0.6, 0.1, 0.1, 0.1, 0.8, 0.25, 0.25, 0.5 }, [4, 3]);
        Assert.Contains("row 0 sums to 0.8", Assert.Throws<ArgumentException>(() => Calibration.NegativeLogLikelihood(unnormalised, y)).Message);
        using var flat = tensor(new double[] { 0.5, 0.5 });
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Calibration.BrierScore(flat, y)).ParamName);
        using var p = Probabilities();
        using var outOfRange = tensor(new long[] { 0, 0, 3, 1 });
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.BrierScore(p, outOfRange)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.ExpectedCalibrationError(p, y, 0)).ParamName);
        Assert.Equal("correct", Assert.Throws<ArgumentException>(() => Calibration.ExpectedCalibrationError([0.5], [true, false])).ParamName);
        Assert.Equal("confidences", Assert.Throws<ArgumentException>(() => Calibration.ExpectedCalibrationError(ReadOnlySpan<double>.Empty, ReadOnlySpan<bool>.Empty)).ParamName);
        Assert.Equal("confidences", Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.ExpectedCalibrationError([1.5], [true])).ParamName);
    }
}
