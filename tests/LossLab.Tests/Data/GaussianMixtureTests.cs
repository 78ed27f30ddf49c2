using LossLab.Data;
using MathNet.Numerics.Distributions;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class GaussianMixtureTests
{
    static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    [Fact]
    public void Means_are_exactly_separation_apart_when_d_is_at_least_C()
    {
        var means = GaussianMixture.Means(4, 6, 3.0);
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++)
                Assert.Equal(3.0, Distance(means[a], means[b]), 12);
        Assert.Equal(3.0 / Math.Sqrt(2), means[2][2], 12);
    }

    [Fact]
    public void Means_lie_on_the_sphere_of_radius_s_over_root2_when_d_is_below_C()
    {
        var means = GaussianMixture.Means(10, 2, 4.0, seed: 3);
        Assert.All(means, m => Assert.Equal(4.0 / Math.Sqrt(2), Math.Sqrt(m.Sum(v => v * v)), 12));
    }

    [Fact]
    public void Samples_have_the_class_means_and_variance()
    {
        using var data = GaussianMixture.Generate([2000, 500], 3, 2.0, seed: 1, noiseStd: 0.5);
        Assert.Equal(new long[] { 2500, 3 }, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(new long[] { 2000, 500 }, data.ClassCounts());
        var means = GaussianMixture.Means(2, 3, 2.0, 1);
        var x = data.Features.to_type(ScalarType.Float64).data<double>().ToArray();
        var y = data.Labels.data<long>().ToArray();
        for (int c = 0; c < 2; c++)
        {
            var rows = Enumerable.Range(0, 2500).Where(i => y[i] == c).ToArray();
            for (int j = 0; j < 3; j++)
            {
                double mean = rows.Average(i => x[i * 3 + j]);
                double variance = rows.Average(i => (x[i * 3 + j] - mean) * (x[i * 3 + j] - mean));
                Assert.InRange(mean, means[c][j] - 5 * 0.5 / Math.Sqrt(rows.Length), means[c][j] + 5 * 0.5 / Math.Sqrt(rows.Length));
                Assert.InRange(variance, 0.25 * 0.85, 0.25 * 1.15);
            }
        }
    }

    [Fact]
    public void Nearest_mean_accuracy_of_two_classes_matches_Phi_of_s_over_2_sigma()
    {
        const double s = 1.5;
        using var data = GaussianMixture.Generate(2, 20000, 2, s, seed: 5);
        var means = GaussianMixture.Means(2, 2, s);
        var x = data.Features.to_type(ScalarType.Float64).data<double>().ToArray();
        var y = data.Labels.data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double[] p = [x[2 * i], x[2 * i + 1]];
            long guess = Distance(p, means[0]) <= Distance(p, means[1]) ? 0 : 1;
            if (guess == y[i]) correct++;
        }
        double bayes = Normal.CDF(0, 1, s / 2);   // 0.7734
        Assert.InRange(correct / 40000.0, bayes - 0.01, bayes + 0.01);
    }

    [Fact]
    public void Same_seed_same_samples_and_long_tail_counts_pass_through()
    {
        var counts = LongTail.ClassCounts(5, 40, 8);
        using var a = GaussianMixture.Generate(counts, 4, 2.0, seed: 9);
        using var b = GaussianMixture.Generate(counts, 4, 2.0, seed: 9);
        using var c = GaussianMixture.Generate(counts, 4, 2.0, seed: 10);
        Assert.True(a.Features.equal(b.Features).all().item<bool>());
        Assert.False(a.Features.equal(c.Features).all().item<bool>());
        Assert.Equal(counts.Select(n => (long)n), a.ClassCounts());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Equal("noiseStd", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate(2, 5, 2, 1.0, 0, noiseStd: 0)).ParamName);
        Assert.Equal("separation", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate(2, 5, 2, -1.0, 0)).ParamName);
        Assert.Equal("dimensions", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate(2, 5, 0, 1.0, 0)).ParamName);
        Assert.Equal("classCounts", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate([3, -1], 2, 1.0, 0)).ParamName);
    }
}
