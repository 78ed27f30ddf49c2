using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class StratifiedSplitTests
{
    // 10 of class 0, 7 of class 1, 3 of class 2, interleaved
    static long[] Labels() =>
        Enumerable.Repeat(0L, 10).Concat(Enumerable.Repeat(1L, 7)).Concat(Enumerable.Repeat(2L, 3))
            .Select((y, i) => (y, key: (i * 7) % 20)).OrderBy(t => t.key).Select(t => t.y).ToArray();

    [Fact]
    public void Each_class_sends_its_rounded_share_to_the_test_set()
    {
        var labels = Labels();
        var (train, test) = StratifiedSplit.Indices(labels, 0.3, new Random(1));
        // round(10·0.3) = 3, round(7·0.3) = round(2.1) = 2, round(3·0.3) = round(0.9) = 1
        Assert.Equal(3, test.Count(i => labels[i] == 0));
        Assert.Equal(2, test.Count(i => labels[i] == 1));
        Assert.Equal(1, test.Count(i => labels[i] == 2));
        Assert.Equal(14, train.Length);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), train.Concat(test).Order());
        Assert.Equal(train.Order(), train);   // original order kept
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = Labels();
        var a = StratifiedSplit.Indices(labels, 0.5, new Random(7));
        var b = StratifiedSplit.Indices(labels, 0.5, new Random(7));
        Assert.Equal(a.Test, b.Test);
        var differs = Enumerable.Range(8, 5).Any(s => !StratifiedSplit.Indices(labels, 0.5, new Random(s)).Test.SequenceEqual(a.Test));
        Assert.True(differs);
    }

    [Fact]
    public void Splitting_a_dataset_copies_matching_rows()
    {
        var labels = Labels();
        using var data = new LabeledTensors(arange(20, dtype: ScalarType.Float32).reshape(20, 1), tensor(labels));
        var (train, test) = StratifiedSplit.Split(data, 0.3, new Random(3));
        using (train)
        using (test)
        {
            Assert.Equal(14, train.Count);
            Assert.Equal(6, test.Count);
            Assert.Equal(new long[] { 7, 5, 2 }, train.ClassCounts());
            // feature value i sits with label[i]
            var f = test.Features.data<float>().ToArray();
            var y = test.Labels.data<long>().ToArray();
            for (int k = 0; k < f.Length; k++) Assert.Equal(labels[(int)f[k]], y[k]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Test_fraction_outside_0_1_is_rejected(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Indices(Labels(), fraction, new Random(0)));
        Assert.Equal("testFraction", ex.ParamName);
    }

    [Fact]
    public void Negative_labels_are_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Indices(new long[] { 0, -1, 1 }, 0.5, new Random(0)));
        Assert.Equal("labels", ex.ParamName);
    }
}
