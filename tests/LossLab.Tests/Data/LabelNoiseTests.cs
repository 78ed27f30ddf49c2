using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class LabelNoiseTests
{
    [Fact]
    public void Other_class_noise_changes_exactly_the_rounded_fraction()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => (long)(i % 10)).ToArray();
        var noisy = LabelNoise.Symmetric(labels, 10, 0.2, new Random(0));
        Assert.Equal(200, noisy.ChangedCount);
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(noisy.Changed[i], noisy.Labels[i] != labels[i]);
        Assert.All(noisy.Labels, y => Assert.InRange(y, 0, 9));
        // round(0.25 · 10) = round(2.5) = 3 (half away from zero)
        Assert.Equal(3, LabelNoise.Symmetric(labels[..10], 10, 0.25, new Random(0)).ChangedCount);
    }

    [Fact]
    public void Other_class_noise_spreads_uniformly_over_the_other_classes()
    {
        var labels = new long[90000];   // all class 0
        var noisy = LabelNoise.Symmetric(labels, 10, 1.0, new Random(1));
        Assert.DoesNotContain(0L, noisy.Labels);
        for (long c = 1; c < 10; c++)
        {
            double share = noisy.Labels.Count(y => y == c) / 90000.0;
            Assert.InRange(share, 1 / 9.0 - 0.006, 1 / 9.0 + 0.006);   // ±~6σ of a binomial share
        }
    }

    [Fact]
    public void Any_class_noise_keeps_the_true_label_one_time_in_C()
    {
        var labels = Enumerable.Range(0, 40000).Select(i => (long)(i % 4)).ToArray();
        var noisy = LabelNoise.Symmetric(labels, 4, 0.5, new Random(2), NoiseTarget.AnyClass);
        // 20000 resampled, each keeps its label with probability 1/4: expected 15000 changed, σ ≈ 61
        Assert.InRange(noisy.ChangedCount, 15000 - 400, 15000 + 400);
    }

    [Fact]
    public void Zero_noise_changes_nothing_and_seeds_repeat()
    {
        long[] labels = [0, 1, 2, 1, 0];
        Assert.Equal(labels, LabelNoise.Symmetric(labels, 3, 0, new Random(0)).Labels);
        Assert.Equal(LabelNoise.Symmetric(labels, 3, 0.6, new Random(4)).Labels, LabelNoise.Symmetric(labels, 3, 0.6, new Random(4)).Labels);
    }

    [Fact]
    public void Dataset_form_keeps_features_and_noises_labels()
    {
        using var data = new LabeledTensors(ones(100, 2), tensor(Enumerable.Range(0, 100).Select(i => (long)(i % 5)).ToArray()));
        using var noisy = LabelNoise.Symmetric(data, 0.3, new Random(0));
        Assert.Equal(30L, noisy.Labels.ne(data.Labels).sum().item<long>());
        Assert.True(noisy.Features.equal(data.Features).all().item<bool>());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        long[] labels = [0, 1, 2];
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Symmetric(labels, 3, 1.5, new Random(0))).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Symmetric(labels, 1, 0.5, new Random(0))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Symmetric(labels, 2, 0.5, new Random(0))).ParamName);
    }
}
