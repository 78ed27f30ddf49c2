using LossLab.Data;

namespace LossLab.Tests.Data;

public class LongTailTests
{
    [Fact]
    public void Exponential_profile_matches_LDAM_DRW_CIFAR10_LT_counts()
    {
        // imbalance_cifar.py: int(5000 * 0.01 ** (i / 9)), from ml-anchors §4.1
        var counts = LongTail.ClassCounts(10, 5000, 100);
        Assert.Equal(new[] { 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50 }, counts);
        Assert.Equal(12406, counts.Sum());
    }

    [Fact]
    public void Exponential_profile_matches_LDAM_DRW_CIFAR100_LT_counts()
    {
        var counts = LongTail.ClassCounts(100, 500, 100);
        Assert.Equal(10847, counts.Sum());
        Assert.Equal(new[] { 500, 477, 455, 434, 415, 396, 378, 361, 344, 328 }, counts[..10]);
        Assert.Equal(new[] { 5, 5, 5 }, counts[^3..]);
    }

    [Fact]
    public void Exponential_counts_follow_the_formula_by_hand()
    {
        // C = 3, n_max = 100, ρ = 4: 100, int(100·0.25^0.5) = 50, 25
        Assert.Equal(new[] { 100, 50, 25 }, LongTail.ClassCounts(3, 100, 4));
        Assert.Equal(new[] { 7 }, LongTail.ClassCounts(1, 7, 10));
        Assert.Equal(new[] { 9, 9, 9, 9 }, LongTail.ClassCounts(4, 9, 1));
    }

    [Fact]
    public void Step_profile_halves_the_classes()
    {
        Assert.Equal(new[] { 5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50 }, LongTail.ClassCounts(10, 5000, 100, ImbalanceProfile.Step));
        // odd C: the first ⌊5/2⌋ = 2 classes are the head; int(30/4) = 7
        Assert.Equal(new[] { 30, 30, 7, 7, 7 }, LongTail.ClassCounts(5, 30, 4, ImbalanceProfile.Step));
    }

    [Theory]
    [InlineData(0, 10, 10.0, "numClasses")]
    [InlineData(3, 0, 10.0, "maxCount")]
    [InlineData(3, 10, 0.5, "imbalanceRatio")]
    [InlineData(3, 10, double.PositiveInfinity, "imbalanceRatio")]
    public void Invalid_profiles_are_rejected(int classes, int maxCount, double ratio, string param)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LongTail.ClassCounts(classes, maxCount, ratio));
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Subsampling_digits_keeps_the_profile_counts_per_class()
    {
        using var digits = DigitsCsv.Load();
        using var lt = LongTail.Subsample(digits, 10, ImbalanceProfile.Exponential, new Random(0));
        // n_max defaults to the smallest class (174): int(174·0.1^(c/9))
        var expected = Enumerable.Range(0, 10).Select(c => (long)(int)(174 * Math.Pow(0.1, c / 9.0))).ToArray();
        Assert.Equal(expected, lt.ClassCounts());
        Assert.Equal(17L, expected[9]);

        using var again = LongTail.Subsample(digits, 10, ImbalanceProfile.Exponential, new Random(0));
        Assert.True(lt.Features.equal(again.Features).all().item<bool>());
    }

    [Fact]
    public void Subsample_indices_are_a_random_subset_of_each_class()
    {
        long[] labels = [0, 1, 0, 1, 0, 1, 0, 2, 2];
        var kept = LongTail.SubsampleIndices(labels, [3, 1, 2], new Random(5));
        Assert.Equal(6, kept.Length);
        Assert.Equal(3, kept.Count(i => labels[i] == 0));
        Assert.Equal(1, kept.Count(i => labels[i] == 1));
        Assert.Equal(new long[] { 7, 8 }, kept.Where(i => labels[i] == 2));
        Assert.Equal(kept.Distinct().Order(), kept);
        var seen = new HashSet<long>();   // over seeds, every class-0 sample is kept sometimes
        for (int s = 0; s < 50; s++) seen.UnionWith(LongTail.SubsampleIndices(labels, [1, 0, 0], new Random(s)));
        Assert.Equal(new long[] { 0, 2, 4, 6 }, seen.Order());
    }

    [Fact]
    public void Asking_for_more_samples_than_a_class_has_is_an_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => LongTail.SubsampleIndices(new long[] { 0, 0, 1 }, [2, 2], new Random(0)));
        Assert.Equal("classCounts", ex.ParamName);
        Assert.Contains("class 1 has only 1", ex.Message);
        Assert.Throws<ArgumentException>(() => LongTail.SubsampleIndices(new long[] { 0, 1, 2 }, [1, 1], new Random(0)));
    }
}
