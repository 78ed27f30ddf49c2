using LossLab.Experiments.MetricLearning;

namespace LossLab.Tests.Experiments.MetricLearning;

public class KsStatisticTests
{
    static double BruteForce(double[] a, double[] b) =>
        a.Concat(b).Max(v => Math.Abs(a.Count(x => x <= v) / (double)a.Length - b.Count(x => x <= v) / (double)b.Length));

    [Fact]
    public void Hand_values_and_brute_force()
    {
        Assert.Equal(1 / 3.0, KsStatistic.Compute([1, 2, 3], [2, 3, 4]), 12);
        Assert.Equal(1.0, KsStatistic.Compute([1, 2], [3, 4, 5]), 12);
        Assert.Equal(0.0, KsStatistic.Compute([1, 2, 2, 3], [3, 2, 1, 2]), 12);
        var rng = new Random(9);
        for (int t = 0; t < 20; t++)
        {
            var a = Enumerable.Range(0, rng.Next(1, 15)).Select(_ => (double)rng.Next(0, 6)).ToArray();
            var b = Enumerable.Range(0, rng.Next(1, 15)).Select(_ => rng.Next(0, 6) + 0.5 * rng.Next(0, 2)).ToArray();
            Assert.Equal(BruteForce(a, b), KsStatistic.Compute(a, b), 12);
        }
    }

    [Fact]
    public void Rejects_empty_or_non_finite_samples()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => KsStatistic.Compute([], [1])).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => KsStatistic.Compute([1], [double.NaN])).ParamName);
    }
}
