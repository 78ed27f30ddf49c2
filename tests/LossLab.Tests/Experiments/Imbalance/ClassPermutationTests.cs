using LossLab.Experiments.Imbalance;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Tests.Experiments.Imbalance;

public class ClassPermutationTests
{
    [Fact]
    public void ForSeed_is_a_seeded_permutation_that_varies_with_the_seed()
    {
        var a = ClassPermutation.ForSeed(10, 1);
        Assert.Equal(a, ClassPermutation.ForSeed(10, 1));
        Assert.Equal(Enumerable.Range(0, 10), a.OrderBy(v => v));
        // Over 20 seeds the head position (k = 0) is drawn from more than one source class.
        Assert.True(Enumerable.Range(1, 20).Select(s => ClassPermutation.ForSeed(10, s)[0]).Distinct().Count() > 1);
    }

    [Fact]
    public void SourceCounts_and_Relabel_put_count_k_on_label_k()
    {
        int[] perm = { 2, 0, 1 };                       // profile position 0 ← source 2, 1 ← 0, 2 ← 1
        int[] counts = { 5, 3, 1 };
        Assert.Equal(new[] { 3, 1, 5 }, ClassPermutation.SourceCounts(counts, perm));
        // Source data drawn with those counts: 3 of source 0, 1 of source 1, 5 of source 2; feature = source class.
        long[] source = { 0, 0, 0, 1, 2, 2, 2, 2, 2 };
        using var data = new LabeledTensors(tensor(source.Select(v => (float)v).ToArray()).reshape(-1, 1), tensor(source));
        var relabelled = ClassPermutation.Relabel(data, perm);
        var y = relabelled.Labels.data<long>().ToArray();
        Assert.Equal(new long[] { 1, 1, 1, 2, 0, 0, 0, 0, 0 }, y);
        Assert.Equal(new long[] { 5, 3, 1 }, relabelled.ClassCounts());
        var x = relabelled.Features.data<float>().ToArray();
        for (int i = 0; i < y.Length; i++) Assert.Equal(perm[y[i]], (int)x[i]);    // label k holds source π[k]
    }

    [Fact]
    public void Relabel_rejects_a_non_permutation()
    {
        using var data = new LabeledTensors(zeros(2, 1), tensor(new long[] { 0, 1 }));
        Assert.Throws<ArgumentException>(() => ClassPermutation.Relabel(data, new[] { 0, 0 }));
    }
}
