using LossLab.Dynamics;
using LossLab.Tests.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class LogitAndAlignmentTests
{
    [Fact]
    public void Log_z_statistics_match_an_explicit_log_sum_exp()
    {
        double[,] z = { { 1, 2, 3 }, { -5, 0, 0.5 } };
        var logits = tensor(new[] { 1, 2, 3, -5, 0, 0.5 }).reshape(2, 3).to_type(ScalarType.Float32);
        var logZ = Enumerable.Range(0, 2).Select(i => Math.Log(Enumerable.Range(0, 3).Sum(j => Math.Exp(z[i, j])))).ToArray();
        Assert.Equal(logZ.Average(), LogitStatistics.MeanLogZ(logits), 5);
        Assert.Equal(logZ.Max(Math.Abs), LogitStatistics.MaxAbsLogZ(logits), 5);
        Assert.Equal(5, LogitStatistics.MaxAbsLogit(logits), 6);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => LogitStatistics.MeanLogZ(ones(3))).ParamName);
    }

    [Fact]
    public void Spectral_alignment_cosines_use_the_top_right_singular_vector()
    {
        // W = diag(3, 1): v₁ = ±e₁; cos(x, v₁) = ±x₁/‖x‖
        var w = tensor(new[] { 3.0, 0, 0, 1 }).reshape(2, 2);
        var x = tensor(new[] { 3.0, 4, -1, 0, 0, 2, 0, 0 }).reshape(4, 2);
        var cos = SpectralAlignment.Cosines(x, w);
        var sign = Math.Sign(cos[0]);
        Assert.Equal(0.6, sign * cos[0], 12);
        Assert.Equal(-1.0, sign * cos[1], 12);
        Assert.Equal(0.0, cos[2], 12);
        Assert.Equal(0.0, cos[3], 12);                                   // zero input
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => SpectralAlignment.Cosines(ones(2, 3), w)).ParamName);
    }

    [Theory]
    [InlineData(new[] { 0.5, -0.2, 0.1, -0.9 }, 1.0)]
    [InlineData(new[] { 0.5, 0.2, 0.1, 0.9 }, 0.0)]
    [InlineData(new[] { -0.5, -0.2, -0.1, 0.9 }, 0.5)]
    [InlineData(new[] { 0.0, 0.3 }, 0.5)]
    public void Sign_diversity_is_one_when_signs_are_balanced_and_zero_when_they_agree(double[] cosines, double expected) =>
        Assert.Equal(expected, SpectralAlignment.SignDiversity(cosines), 12);

    [Fact]
    public void Per_class_loss_averages_cross_entropy_within_each_class()
    {
        double[,] z = { { 2, 0, 0 }, { 0, 1, 0 }, { 1, 1, 1 }, { 0, 0, 3 } };
        long[] y = [0, 0, 1, 2];
        var logits = tensor(new double[] { 2, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 3 }).reshape(4, 3);
        var nll = Enumerable.Range(0, 4).Select(i =>
            Math.Log(Enumerable.Range(0, 3).Sum(j => Math.Exp(z[i, j]))) - z[i, y[i]]).ToArray();
        var perClass = PerClassLoss.Compute(logits, tensor(y));
        Assert.Equal((nll[0] + nll[1]) / 2, perClass[0], 12);
        Assert.Equal(nll[2], perClass[1], 12);
        Assert.Equal(nll[3], perClass[2], 12);
        var empty = PerClassLoss.Compute(logits, tensor(new long[] { 0, 0, 0, 2 }));
        Assert.True(double.IsNaN(empty[1]));

        var groups = PerClassLoss.FrequencyBuckets([2, 1, 1], 2);
        Assert.Equal([0], groups[0]);
        Assert.Equal([1, 2], groups[1]);
        var means = PerClassLoss.GroupMeans(perClass, [2, 1, 1], groups);
        Assert.Equal(perClass[0], means[0], 12);
        Assert.Equal((nll[2] + nll[3]) / 2, means[1], 12);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => PerClassLoss.Compute(logits, tensor(new long[] { 0, 0, 0, 3 }))).ParamName);
        Assert.Equal("buckets", Assert.Throws<ArgumentOutOfRangeException>(() => PerClassLoss.FrequencyBuckets([1, 1], 3)).ParamName);
    }

    [Fact]
    public void Per_class_loss_from_sample_losses_averages_them_within_each_class()
    {
        // Hand values: class 0 holds samples 0 and 1 (losses 0.5 and 1.5, mean 1), class 1 none (NaN), class 2 sample 2 (2.25).
        var fromSamples = PerClassLoss.FromSampleLosses(tensor(new float[] { 0.5f, 1.5f, 2.25f }), tensor(new long[] { 0, 0, 2 }), 3);
        Assert.Equal(1.0, fromSamples[0], 12);
        Assert.True(double.IsNaN(fromSamples[1]));
        Assert.Equal(2.25, fromSamples[2], 12);
        // From the per-sample cross-entropy it equals Compute on the logits.
        var logits = tensor(new double[] { 2, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 3 }).reshape(4, 3);
        var y = tensor(new long[] { 0, 0, 1, 2 });
        var nll = nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.None);
        Assert.Equal(PerClassLoss.Compute(logits, y), PerClassLoss.FromSampleLosses(nll, y, 3), new DoubleComparer(1e-12));
        Assert.Equal("sampleLosses", Assert.Throws<ArgumentException>(() => PerClassLoss.FromSampleLosses(nll, tensor(new long[] { 0 }), 3)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => PerClassLoss.FromSampleLosses(nll, y, 0)).ParamName);
    }
}
