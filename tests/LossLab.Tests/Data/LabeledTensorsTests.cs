using LossLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class LabeledTensorsTests
{
    static LabeledTensors Ten() =>
        new(arange(10, dtype: ScalarType.Float32).reshape(10, 1), tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0 }));

    [Fact]
    public void Shuffled_batches_cover_every_sample_once_and_repeat_with_the_generator_state()
    {
        using var data = Ten();
        List<float> Pass(long seed)
        {
            using var g = new torch.Generator((ulong)seed);
            var seen = new List<float>();
            foreach (var (x, _) in data.Batches(3, shuffle: true, generator: g)) seen.AddRange(x.data<float>().ToArray());
            return seen;
        }
        var a = Pass(7);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), a.OrderBy(v => v));
        Assert.Equal(a, Pass(7));
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (float)i), a);   // 1 in 10! chance of the identity order
    }

    [Fact]
    public void Ordered_batches_have_the_sizes_of_integer_division_and_drop_last_drops_the_remainder()
    {
        using var data = Ten();
        Assert.Equal(new long[] { 4, 4, 2 }, data.Batches(4, shuffle: false).Select(b => b.Features.shape[0]).ToArray());
        Assert.Equal(new long[] { 4, 4 }, data.Batches(4, shuffle: false, dropLast: true).Select(b => b.Features.shape[0]).ToArray());
        Assert.Equal(new float[] { 4, 5, 6, 7 }, data.Batches(4, shuffle: false).ElementAt(1).Features.data<float>().ToArray());
    }

    [Fact]
    public void Ordered_batches_are_views_whose_layer_outputs_equal_those_of_gathered_copies_bit_for_bit()
    {
        // A model's numbers must not depend on whether an ordered batch is a view of the data set or a copy of its rows:
        // a linear layer and a ReLU MLP on every batch of several sizes, against the same rows gathered by index_select.
        using var g = LossLab.Training.Seeds.Generator(3, 0);
        using var data = new LabeledTensors(randn(1037, 96, generator: g), randint(0, 10, 1037, generator: g));
        using var w1 = randn(64, 96, generator: g).mul_(0.1);
        using var b1 = randn(64, generator: g);
        using var w2 = randn(10, 64, generator: g).mul_(0.1);
        foreach (int size in new[] { 1, 7, 64, 128, 500, 1037 })
        {
            long start = 0;
            foreach (var (x, y) in data.Batches(size, shuffle: false))
            {
                using var scope = NewDisposeScope();
                Assert.Equal(start * 96, x.storage_offset());   // a view of the data set's storage, not a copy
                var idx = arange(start, start + x.shape[0], dtype: ScalarType.Int64);
                var (cx, cy) = (data.Features.index_select(0, idx), data.Labels.index_select(0, idx));
                Assert.True(y.equal(cy).all().item<bool>());
                Tensor Mlp(Tensor v) => nn.functional.relu(nn.functional.linear(v, w1, b1)).matmul(w2.t());
                Assert.True(Mlp(x).equal(Mlp(cx)).all().item<bool>(), $"batch size {size}, rows from {start}");
                start += x.shape[0];
            }
            Assert.Equal(data.Count, start);
        }
    }

    [Fact]
    public void Ordered_batches_of_a_non_contiguous_data_set_are_copies_of_its_rows()
    {
        using var features = arange(20, dtype: ScalarType.Float32).reshape(2, 10).t();   // (10, 2), column-major
        using var data = new LabeledTensors(features, zeros(10, dtype: ScalarType.Int64));
        var (x, _) = data.Batches(4, shuffle: false).ElementAt(1);
        Assert.True(x.is_contiguous());
        Assert.Equal(new float[] { 4, 14, 5, 15, 6, 16, 7, 17 }, x.data<float>().ToArray());
    }

    [Fact]
    public void Subset_of_an_index_array_copies_those_rows_in_order()
    {
        using var data = Ten();
        using var sub = data.Subset(new long[] { 9, 2, 5 });
        Assert.Equal(new float[] { 9, 2, 5 }, sub.Features.data<float>().ToArray());
        Assert.Equal(new long[] { 0, 2, 2 }, sub.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Class_counts_and_number_of_classes_come_from_the_labels()
    {
        using var data = Ten();
        Assert.Equal(3, data.NumClasses);
        Assert.Equal(new long[] { 4, 3, 3 }, data.ClassCounts());
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_shapes_or_range()
    {
        var e = Assert.Throws<ArgumentException>(() => new LabeledTensors(zeros(3, 2), zeros(4, dtype: ScalarType.Int64)));
        Assert.Contains("[3, 2]", e.Message);
        Assert.Contains("[4]", e.Message);
        using var data = Ten();
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset(new long[] { 0, 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batches(0).ToList());
    }
}
