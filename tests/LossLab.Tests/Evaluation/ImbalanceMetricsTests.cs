using LossLab.Evaluation;

namespace LossLab.Tests.Evaluation;

public class ImbalanceMetricsTests
{
    [Fact]
    public void False_head_rate_counts_tail_samples_predicted_as_head()
    {
        bool[] head = { true, true, false, false };
        long[] y = { 0, 2, 2, 3, 3, 1 };
        long[] p = { 2, 0, 2, 1, 2, 1 };       // tail samples: (2→0 head), (2→2), (3→1 head), (3→2) → 2 of 4
        Assert.Equal(0.5, ImbalanceMetrics.FalseHeadRate(p, y, head), 15);
        Assert.Equal(0.0, ImbalanceMetrics.FalseHeadRate(new long[] { 0 }, new long[] { 1 }, head));
    }

    [Fact]
    public void Class_size_correlation_is_spearman_with_mid_ranks()
    {
        Assert.Equal(1.0, ImbalanceMetrics.ClassSizeCorrelation(new[] { 3.0, 2.0, 1.5, 0.1 }, new long[] { 500, 100, 20, 5 }), 15);
        Assert.Equal(-1.0, ImbalanceMetrics.ClassSizeCorrelation(new[] { 0.1, 0.2, 0.3 }, new long[] { 50, 20, 5 }), 15);
        // Values ranks (1, 2.5, 2.5, 4), counts ranks (1, 2, 3, 4): Pearson of the ranks = 4.5/√(4.5·5).
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), ImbalanceMetrics.ClassSizeCorrelation(new[] { 1.0, 2, 2, 3 }, new long[] { 1, 2, 3, 4 }), 14);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => ImbalanceMetrics.FalseHeadRate(new long[] { 0 }, new long[] { 5 }, new[] { true, false })).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => ImbalanceMetrics.FalseHeadRate(new long[] { 0, 1 }, new long[] { 1 }, new[] { true, false })).ParamName);
        Assert.Equal("classCounts", Assert.Throws<ArgumentException>(() => ImbalanceMetrics.ClassSizeCorrelation(new[] { 1.0, 2.0 }, new long[] { 3, 3 })).ParamName);
        Assert.Equal("perClassValues", Assert.Throws<ArgumentException>(() => ImbalanceMetrics.ClassSizeCorrelation(new[] { 1.0 }, new long[] { 3 })).ParamName);
        Assert.Equal("perClassValues", Assert.Throws<ArgumentException>(() => ImbalanceMetrics.ClassSizeCorrelation(new[] { 1.0, 1.0 }, new long[] { 3, 4 })).ParamName);
    }
}
