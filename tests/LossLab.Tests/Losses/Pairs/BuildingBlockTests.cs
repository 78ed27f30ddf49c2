using LossLab.Losses.Pairs;
using LossLab.Reducers;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

public class LabelMasksTests
{
    [Fact]
    public void Masks_exclude_the_diagonal_only_against_the_batch()
    {
        var y = Labels(0, 1, 0);
        Assert.Equal(new[] { false, false, true, false, false, false, true, false, false }, LabelMasks.Positive(y).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false, true, false, true, false, true, false }, LabelMasks.Negative(y).data<bool>().ToArray());
        var r = Labels(0, 0, 1);
        Assert.Equal(new[] { true, true, false, false, false, true, true, true, false }, LabelMasks.Positive(y, r).data<bool>().ToArray());
    }

    [Fact]
    public void Pairs_against_a_separate_reference_set_are_used()
    {
        // query 0 (label 0) against references r0 (label 0) and r1 (label 1): one positive, one negative.
        var q = ToTensor([[1.0, 0]], ScalarType.Float64);
        var r = ToTensor([[0.6, 0.8], [0, 1.0]], ScalarType.Float64);
        var value = new ContrastiveLoss(0, 2).Forward(q, Labels(0), referenceEmbeddings: r, referenceLabels: Labels(0, 1));
        var dPos = Math.Sqrt(0.4 * 0.4 + 0.8 * 0.8);
        Close(dPos + (2 - Math.Sqrt(2)), Value(value), ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => new ContrastiveLoss().Forward(q, Labels(0), referenceEmbeddings: r));
        Assert.Equal("referenceEmbeddings", Assert.Throws<ArgumentException>(() =>
            new ContrastiveLoss().Forward(q, Labels(0), referenceEmbeddings: ToTensor([[1.0, 0, 0]], ScalarType.Float64), referenceLabels: Labels(0))).ParamName);
        Assert.Equal("referenceEmbeddings", Assert.Throws<ArgumentException>(() =>
            new ContrastiveLoss().Forward(q, Labels(0), referenceEmbeddings: r.to_type(ScalarType.Float32), referenceLabels: Labels(0, 1))).ParamName);
    }
}

public class MaskedLogSumExpTests
{
    [Fact]
    public void Matches_log_sum_exp_over_kept_entries_and_empty_rows_are_zero()
    {
        var x = tensor(new double[] { 1, 2, 3, 1000, 1001, -5, 7, 8, 9 }, 3, 3).requires_grad_(true);
        var keep = tensor(new[] { true, false, true, true, true, false, false, false, false }, 3, 3);
        var plain = PairLossFunctions.MaskedLogSumExp(x, keep);
        var one = PairLossFunctions.MaskedLogSumExp(x, keep, addOne: true);
        var p = plain.data<double>().ToArray(); var o = one.data<double>().ToArray();
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(3)), p[0], 12);
        Assert.Equal(1001 + Math.Log(1 + Math.Exp(-1)), p[1], 9);
        Assert.Equal(0.0, p[2]);
        Assert.Equal(Math.Log(1 + Math.Exp(1) + Math.Exp(3)), o[0], 12);
        Assert.Equal(0.0, o[2]);
        (plain.sum() + one.sum()).backward();
        var g = x.grad!.data<double>().ToArray();
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(new double[] { 0, 0, 0 }, g[6..9]);
        Assert.Equal(0.0, g[1]);
        var e1 = Math.Exp(1); var e3 = Math.Exp(3);
        Assert.Equal(e1 / (e1 + e3) + e1 / (1 + e1 + e3), g[0], 12);
    }

    [Fact]
    public void Rejects_mismatched_or_non_boolean_masks()
    {
        var x = zeros(2, 3);
        Assert.Equal("keep", Assert.Throws<ArgumentException>(() => PairLossFunctions.MaskedLogSumExp(x, ones(2, 2, dtype: ScalarType.Bool))).ParamName);
        Assert.Equal("keep", Assert.Throws<ArgumentException>(() => PairLossFunctions.MaskedLogSumExp(x, ones(2, 3))).ParamName);
    }
}

public class ReducerTests
{
    static LossTerm Term(double[] v, bool[]? valid = null, TermKind kind = TermKind.Element) =>
        new("t", tensor(v), kind, valid is null ? null : tensor(valid));

    [Fact]
    public void Reducers_compute_their_definitions()
    {
        var t = Term([0, 2, 0, 4, -1], [true, true, false, true, false]);
        Assert.Equal(1.0, new MeanReducer().Reduce(t).item<double>(), 12);
        Assert.Equal(5.0, new SumReducer().Reduce(t).item<double>(), 12);
        Assert.Equal(3.0, new AverageNonZeroReducer().Reduce(t).item<double>(), 12);
        Assert.Equal(2.0, new ValidMeanReducer().Reduce(t).item<double>(), 12);
        Assert.Equal(1.0, new ValidMeanReducer().Reduce(Term([0, 2, 0, 4, -1])).item<double>(), 12);
        var reduced = Term([7.5], kind: TermKind.AlreadyReduced);
        foreach (IReducer r in new IReducer[] { new MeanReducer(), new SumReducer(), new AverageNonZeroReducer(), new ValidMeanReducer() })
            Assert.Equal(7.5, r.Reduce(reduced).item<double>(), 12);
    }

    [Fact]
    public void Empty_terms_reduce_to_zero_with_zero_gradient()
    {
        foreach (IReducer r in new IReducer[] { new MeanReducer(), new SumReducer(), new AverageNonZeroReducer(), new ValidMeanReducer() })
        {
            var x = tensor(new double[] { 1, 2 }).requires_grad_(true);
            var empty = x.masked_select(tensor(new[] { false, false }));
            var term = new LossTerm("t", empty, TermKind.PositivePair, r is ValidMeanReducer ? tensor(Array.Empty<bool>()) : null);
            var v = r.Reduce(term);
            Assert.Equal(0.0, v.item<double>());
            v.backward();
            Assert.Equal(new double[] { 0, 0 }, x.grad!.data<double>().ToArray());
        }
    }
}

public class PkBatchSamplerTests
{
    [Fact]
    public void Batches_hold_P_classes_of_K_distinct_samples_and_repeat_with_the_seed()
    {
        var labels = Enumerable.Range(0, 100).Select(i => (long)(i % 10)).ToArray();
        var s1 = new PkBatchSampler(labels, 4, 3, seed: 7);
        var s2 = new PkBatchSampler(labels, 4, 3, seed: 7);
        Assert.Equal(8, s1.BatchesPerEpoch);
        foreach (var (b1, b2) in s1.Epoch().Zip(s2.Epoch()))
        {
            Assert.Equal(b1, b2);
            Assert.Equal(12, b1.Length);
            Assert.Equal(12, b1.Distinct().Count());
            var groups = b1.GroupBy(i => labels[i]).ToArray();
            Assert.Equal(4, groups.Length);
            Assert.All(groups, g => Assert.Equal(3, g.Count()));
        }
        Assert.NotEqual(new PkBatchSampler(labels, 4, 3, seed: 8).Next(), new PkBatchSampler(labels, 4, 3, seed: 7).Next());
    }

    [Fact]
    public void Small_classes_are_drawn_with_replacement_and_bad_sizes_rejected()
    {
        long[] labels = [0, 0, 1, 1, 1, 1];
        var batch = new PkBatchSampler(labels, 2, 3, 1).Next();
        Assert.Equal(3, batch.Count(i => labels[i] == 0));
        Assert.Equal("classesPerBatch", Assert.Throws<ArgumentOutOfRangeException>(() => new PkBatchSampler(labels, 3, 2)).ParamName);
        Assert.Equal("samplesPerClass", Assert.Throws<ArgumentOutOfRangeException>(() => new PkBatchSampler(labels, 2, 0)).ParamName);
    }
}
