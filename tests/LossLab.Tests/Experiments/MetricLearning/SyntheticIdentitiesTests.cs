using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class SyntheticIdentitiesTests
{
    [Fact]
    public void Same_arguments_same_images_and_prototypes_do_not_depend_on_the_count()
    {
        var a = SyntheticIdentities.Generate(5, 4, seed: 1);
        var b = SyntheticIdentities.Generate(5, 4, seed: 1);
        Assert.True(a.Data.Features.eq(b.Data.Features).all().item<bool>());
        Assert.Equal(a.Quality, b.Quality);
        Assert.Equal(new long[] { 0, 0, 0, 0, 1 }, a.Data.Labels.data<long>().ToArray().Take(5));
        Assert.Equal(20, a.Quality.Length);
        Assert.All(a.Quality, q => Assert.InRange(q, 0, 1));
        Assert.True(a.Data.Features.min().item<float>() >= 0 && a.Data.Features.max().item<float>() <= 1);
        Assert.Equal(SyntheticIdentities.Prototype(3), SyntheticIdentities.Prototype(3));
        Assert.NotEqual(SyntheticIdentities.Prototype(3), SyntheticIdentities.Prototype(4));
    }

    [Fact]
    public void Energy_preserving_degradation_keeps_the_centred_norm_of_the_prototype_and_quality_sets_the_likeness()
    {
        var images = SyntheticIdentities.Generate(6, 30, seed: 3, smooth: true, energyPreserving: true);
        var x = images.Data.Features.to_type(ScalarType.Float64).data<double>().ToArray();
        var labels = images.Data.Labels.data<long>().ToArray();
        var likeness = new List<(double Q, double Cos)>();
        for (int i = 0; i < labels.Length; i++)
        {
            var proto = SyntheticIdentities.Prototype((int)labels[i], smooth: true);
            double target = 0, norm = 0, dot = 0;
            for (int p = 0; p < 64; p++)
            {
                double c = proto[p] - 0.5, v = x[i * 64 + p] - 0.5;
                target += c * c; norm += v * v; dot += c * v;
            }
            // float64 loop: ‖x − 0.5‖ equals ‖P − 0.5‖ up to float32 rounding, whatever the quality.
            Assert.Equal(Math.Sqrt(target), Math.Sqrt(norm), 4);
            likeness.Add((images.Quality[i], dot / Math.Sqrt(target * norm)));
        }
        // Higher quality, closer to the prototype: the mean cosine of the top quality half beats the bottom half's.
        var sorted = likeness.OrderBy(t => t.Q).ToArray();
        double low = sorted.Take(sorted.Length / 2).Average(t => t.Cos), high = sorted.Skip(sorted.Length / 2).Average(t => t.Cos);
        Assert.True(high > low + 0.2, $"high-quality cosine {high:F3} vs low-quality {low:F3}");
        // The default (additive noise) does not preserve the norm: it grows as quality falls.
        var additive = SyntheticIdentities.Generate(6, 30, seed: 3, smooth: true);
        var xa = additive.Data.Features.to_type(ScalarType.Float64).data<double>().ToArray();
        var la = additive.Data.Labels.data<long>().ToArray();
        var ratios = Enumerable.Range(0, la.Length).Select(i =>
        {
            var proto = SyntheticIdentities.Prototype((int)la[i], smooth: true);
            double t = 0, n = 0;
            for (int p = 0; p < 64; p++) { t += (proto[p] - 0.5) * (proto[p] - 0.5); n += (xa[i * 64 + p] - 0.5) * (xa[i * 64 + p] - 0.5); }
            return Math.Sqrt(n / t);
        }).ToArray();
        Assert.True(ratios.Max() > 1.5);
    }

    [Fact]
    public void Prototype_is_smooth_standardised_and_clipped()
    {
        foreach (var smooth in new[] { false, true })
        {
            var p = SyntheticIdentities.Prototype(0, smooth: smooth);
            Assert.Equal(64, p.Length);
            Assert.All(p, v => Assert.InRange(v, 0, 1));
            Assert.InRange(p.Average(), 0.45, 0.55);
        }
        // smoothing averages 3×3 neighbourhoods: neighbouring pixels become strongly correlated
        double Lag1(double[] v) { double m = v.Average(); double num = 0, den = 0; for (int r = 0; r < 8; r++) for (int c = 0; c < 7; c++) num += (v[r * 8 + c] - m) * (v[r * 8 + c + 1] - m); for (int k = 0; k < 64; k++) den += (v[k] - m) * (v[k] - m); return num / den * 64 / 56; }
        Assert.True(Lag1(SyntheticIdentities.Prototype(0, smooth: true)) > 0.4);
        Assert.InRange(Lag1(SyntheticIdentities.Prototype(0)), -0.4, 0.4);
    }

    [Fact]
    public void Prototype_clipping_keeps_the_mean()
    {
        var p = SyntheticIdentities.Prototype(0);
        Assert.All(p, v => Assert.InRange(v, 0, 1));
        // before clipping mean 0.5 and std 0.25; clipping at ±2σ moves the mean little
        Assert.InRange(p.Average(), 0.45, 0.55);
    }

    [Fact]
    public void DownUp_replaces_blocks_by_their_mean_and_noise_std_follows_quality()
    {
        double[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        SyntheticIdentities.DownUp(image, 4);
        // blocks {1,2,5,6} → 3.5, {3,4,7,8} → 5.5, {9,10,13,14} → 11.5, {11,12,15,16} → 13.5
        Assert.Equal(new double[] { 3.5, 3.5, 5.5, 5.5, 3.5, 3.5, 5.5, 5.5, 11.5, 11.5, 13.5, 13.5, 11.5, 11.5, 13.5, 13.5 }, image);
        Assert.Equal(0.7, SyntheticIdentities.NoiseStd(0), 12);
        Assert.Equal(0.1, SyntheticIdentities.NoiseStd(1), 12);
    }

    [Fact]
    public void Without_shift_a_high_quality_image_is_its_prototype_plus_clipped_noise()
    {
        var set = SyntheticIdentities.Generate(3, 50, seed: 2);
        var x = set.Data.Features.data<float>().ToArray();
        var y = set.Data.Labels.data<long>().ToArray();
        // the residual of unclipped pixels of images with q ≥ 0.3 has standard deviation σ(q) = 0.1 + 0.6·(1 − q)
        double sumZ2 = 0; int count = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (set.Quality[i] < SyntheticIdentities.LowResolutionBelow) continue;
            var p = SyntheticIdentities.Prototype((int)y[i]);
            double sigma = SyntheticIdentities.NoiseStd(set.Quality[i]);
            for (int k = 0; k < 64; k++)
                if (x[i * 64 + k] > 0 && x[i * 64 + k] < 1 && p[k] > 3 * sigma && p[k] < 1 - 3 * sigma)
                { double z = (x[i * 64 + k] - p[k]) / sigma; sumZ2 += z * z; count++; }
        }
        Assert.True(count > 200, $"only {count} unclipped pixels");
        Assert.InRange(Math.Sqrt(sumZ2 / count), 0.85, 1.1);
    }

    [Fact]
    public void Low_quality_images_are_further_from_their_prototype()
    {
        var set = SyntheticIdentities.Generate(20, 30, seed: 4);
        var x = set.Data.Features.data<float>().ToArray();
        var y = set.Data.Labels.data<long>().ToArray();
        double low = 0, high = 0; int nl = 0, nh = 0;
        for (int i = 0; i < y.Length; i++)
        {
            var p = SyntheticIdentities.Prototype((int)y[i]);
            double err = Enumerable.Range(0, 64).Average(k => Math.Abs(x[i * 64 + k] - p[k]));
            if (set.Quality[i] < 1 / 3.0) { low += err; nl++; } else if (set.Quality[i] > 2 / 3.0) { high += err; nh++; }
        }
        Assert.True(low / nl > high / nh + 0.05, $"low-quality error {low / nl}, high-quality error {high / nh}");
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Equal("identities", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticIdentities.Generate(0, 2, 1)).ParamName);
        Assert.Equal("perIdentity", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticIdentities.Generate(2, 0, 1)).ParamName);
        Assert.Equal("side", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticIdentities.Generate(2, 2, 1, side: 7)).ParamName);
        Assert.Equal("maxShift", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticIdentities.Generate(2, 2, 1, maxShift: -1)).ParamName);
    }
}
