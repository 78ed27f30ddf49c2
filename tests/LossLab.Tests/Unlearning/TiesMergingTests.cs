using LossLab.Unlearning;
using static TorchSharp.torch;
using static LossLab.Tests.Unlearning.Tiny;

namespace LossLab.Tests.Unlearning;

public class TiesMergingTests
{
    static Dictionary<string, Tensor> Vec(double a0, double a1, double b0, double b1) => new()
    {
        ["a"] = tensor(new[] { a0, a1 }, dtype: ScalarType.Float64),
        ["b"] = tensor(new[] { b0, b1 }, [1, 2], dtype: ScalarType.Float64),
    };

    static IReadOnlyList<IReadOnlyDictionary<string, Tensor>> Three() =>
        [Vec(4, -1, 0.5, -3), Vec(-2, 3, 0.25, -1), Vec(1, -2, -0.1, 5)];

    [Fact]
    public void Trim_elect_and_disjoint_mean_on_hand_built_vectors()
    {
        using var scope = NewDisposeScope();
        // keep 2 of 4 per vector: [4,0,0,−3], [−2,3,0,0], [0,−2,0,5]; signs of the sum [+,+,0,+];
        // agreeing entries: 4 | 3 | none | 5.
        var merged = TiesMerging.Merge(Three(), keep: 0.5);
        Assert.Equal(new[] { 4.0, 3.0 }, Flat(merged["a"]));
        Assert.Equal(new[] { 0.0, 5.0 }, Flat(merged["b"]));
        Assert.Equal(new long[] { 1, 2 }, merged["b"].shape);
    }

    [Fact]
    public void Without_trimming_the_mean_runs_over_the_tasks_agreeing_with_the_elected_sign()
    {
        using var scope = NewDisposeScope();
        // sums [3, 0, 0.65, 1]: entry 0 averages 4 and 1; entry 1 has no elected sign; entry 2 averages 0.5 and 0.25.
        var merged = TiesMerging.Merge(Three(), keep: 1.0);
        Assert.Equal(new[] { 2.5, 0.0 }, Flat(merged["a"]));
        Assert.Equal(new[] { 0.375, 5.0 }, Flat(merged["b"]));
    }

    [Fact]
    public void Trim_keeps_ties_at_the_threshold()
    {
        using var scope = NewDisposeScope();
        var rows = tensor(new double[] { 1, -2, 2, 0.5, 3, 0, -3, 1 }, [2, 4], dtype: ScalarType.Float64);
        Assert.Equal(new double[] { 0, -2, 2, 0, 3, 0, -3, 0 }, Flat(TiesMerging.Trim(rows, 0.25)));   // k = 1: ties kept
    }

    [Fact]
    public void Task_arithmetic_and_interpolation_are_entrywise()
    {
        using var scope = NewDisposeScope();
        var baseState = Vec(1, 2, 3, 4);
        var tuned = Vec(2, 0, 3, 8);
        var tau = TaskVectors.Of(tuned, baseState);
        Assert.Equal(new[] { 1.0, -2.0 }, Flat(tau["a"]));
        var applied = TaskVectors.Apply(baseState, tau, -0.5);
        Assert.Equal(new[] { 0.5, 3.0 }, Flat(applied["a"]));
        Assert.Equal(new[] { 3.0, 2.0 }, Flat(applied["b"]));
        var mid = TaskVectors.Interpolate(baseState, tuned, 0.25);
        Assert.Equal(new[] { 1.25, 1.5 }, Flat(mid["a"]));
        Assert.Equal(new[] { 3.0, 5.0 }, Flat(mid["b"]));
    }

    [Fact]
    public void Mismatched_states_and_bad_fractions_throw()
    {
        using var scope = NewDisposeScope();
        var good = Vec(1, 2, 3, 4);
        var wrongShape = new Dictionary<string, Tensor> { ["a"] = zeros(3, dtype: ScalarType.Float64), ["b"] = zeros(1, 2, dtype: ScalarType.Float64) };
        var missing = new Dictionary<string, Tensor> { ["a"] = zeros(2, dtype: ScalarType.Float64) };
        Assert.Throws<ArgumentException>(() => TaskVectors.Of(wrongShape, good));
        Assert.Equal("tuned", Assert.Throws<ArgumentException>(() => TaskVectors.Of(missing, good)).ParamName);
        Assert.Equal("keep", Assert.Throws<ArgumentOutOfRangeException>(() => TiesMerging.Merge([good], 0)).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => TiesMerging.Merge([])).ParamName);
        Assert.Equal("vectors[1]", Assert.Throws<ArgumentException>(() => TiesMerging.Merge([good, missing])).ParamName);
    }
}
