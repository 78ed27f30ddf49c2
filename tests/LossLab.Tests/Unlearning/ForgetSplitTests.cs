using LossLab.Data;
using LossLab.Unlearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Unlearning;

public class ForgetSplitTests
{
    [Fact]
    public void Random_forgetting_partitions_the_indices_with_the_rounded_fraction()
    {
        var (f, r) = ForgetSplit.RandomIndices(95, 0.1, new Random(1));
        Assert.Equal(10, f.Length);   // round(9.5) away from zero
        Assert.Equal(85, r.Length);
        Assert.Equal(Enumerable.Range(0, 95).Select(i => (long)i), f.Concat(r).Order());
        Assert.Equal(f.Order(), f);
        var (f2, _) = ForgetSplit.RandomIndices(95, 0.1, new Random(1));
        Assert.Equal(f, f2);
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => ForgetSplit.RandomIndices(10, 1.0, new Random(1))).ParamName);
    }

    [Fact]
    public void Class_forgetting_takes_every_sample_of_the_class()
    {
        using var scope = NewDisposeScope();
        using var data = new LabeledTensors(arange(12, dtype: ScalarType.Float32).reshape(6, 2), tensor(new long[] { 0, 3, 1, 3, 2, 0 }));
        var (forget, retain) = ForgetSplit.Class(data, 3);
        Assert.Equal(new long[] { 3, 3 }, forget.Labels.data<long>().ToArray());
        Assert.Equal(new float[] { 2, 3, 6, 7 }, forget.Features.data<float>().ToArray());
        Assert.Equal(new long[] { 0, 1, 2, 0 }, retain.Labels.data<long>().ToArray());
        Assert.Equal("forgetClass", Assert.Throws<ArgumentOutOfRangeException>(() => ForgetSplit.Class(data, 4)).ParamName);
        forget.Dispose(); retain.Dispose();
    }
}
