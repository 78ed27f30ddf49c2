using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class ToleranceTests
{
    [Fact]
    public void Mean_same_class_cosine_by_loop()
    {
        var rng = new Random(2);
        var x = Enumerable.Range(0, 5 * 3).Select(_ => rng.NextDouble() - 0.5).ToArray();
        long[] y = [0, 1, 0, 2, 0];
        double sum = 0; int count = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                if (i == j || y[i] != y[j]) continue;
                var u = x.Skip(3 * i).Take(3).ToArray(); var v = x.Skip(3 * j).Take(3).ToArray();
                sum += u.Zip(v).Sum(p => p.First * p.Second) / Math.Sqrt(u.Sum(a => a * a) * v.Sum(a => a * a));
                count++;
            }
        using var tx = tensor(x, [5, 3]);
        using var ty = tensor(y);
        Assert.Equal(sum / count, Tolerance.Measure(tx, ty), 10);
    }

    [Fact]
    public void No_same_class_pair_gives_NaN_and_bad_labels_throw()
    {
        using var x = randn(3, 2);
        using var distinct = tensor(new long[] { 0, 1, 2 });
        Assert.True(double.IsNaN(Tolerance.Measure(x, distinct)));
        using var short_ = tensor(new long[] { 0, 1 });
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Tolerance.Measure(x, short_)).ParamName);
    }
}
