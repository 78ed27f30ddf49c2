using LossLab.Unlearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Unlearning;

public class UnitPruningTests
{
    // activations h (n = 3, H = 4) and the next layer's weight W (O = 2, H = 4)
    static readonly double[,] H = { { 1.0, 0.0, 2.0, -1.0 }, { 0.5, 3.0, 0.0, 1.0 }, { -2.0, 1.0, 1.0, 0.0 } };
    static readonly double[,] Wt = { { 0.5, -1.0, 0.2, 2.0 }, { 1.5, 0.3, -0.4, 0.0 } };

    static Tensor T(double[,] a) => tensor(a, dtype: ScalarType.Float64);

    // e_j = mean_n Σ_o (W[o, j]·h[n, j])², the squared change of the next layer's output when unit j is removed
    static double[] ReferenceErrors(double[,] h, double[,] w)
    {
        int n = h.GetLength(0), width = h.GetLength(1), outputs = w.GetLength(0);
        var e = new double[width];
        for (int j = 0; j < width; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
                for (int o = 0; o < outputs; o++) { double d = w[o, j] * h[i, j]; sum += d * d; }
            e[j] = sum / n;
        }
        return e;
    }

    [Fact]
    public void Removal_errors_match_the_change_of_the_next_layer_output()
    {
        using var scope = NewDisposeScope();
        var expected = ReferenceErrors(H, Wt);
        var actual = UnitPruning.RemovalErrors(T(H), T(Wt));
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], actual[j], 12);
        // by hand for unit 0: ‖W[:,0]‖² = 0.25 + 2.25 = 2.5; mean h² = (1 + 0.25 + 4)/3 = 1.75 → 4.375
        Assert.Equal(4.375, actual[0], 12);
    }

    [Fact]
    public void Removal_error_equals_the_output_change_of_a_pruned_linear_layer()
    {
        using var scope = NewDisposeScope();
        var w = T(Wt).clone();
        var full = T(H).matmul(w.t());
        UnitPruning.Prune(w, [2]);
        var pruned = T(H).matmul(w.t());
        double change = (full - pruned).square().sum(1).mean().item<double>();
        Assert.Equal(UnitPruning.RemovalErrors(T(H), T(Wt))[2], change, 12);
    }

    [Fact]
    public void Contrast_scores_divide_forget_by_reference_errors()
    {
        using var scope = NewDisposeScope();
        var reference = new double[,] { { 1.0, 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0, 1.0 } };   // mean h² = 1 per unit
        var scores = UnitPruning.ContrastScores(T(H), T(reference), T(Wt), epsilon: 1e-9);
        var e = ReferenceErrors(H, Wt);
        var norms = new[] { 2.5, 1.09, 0.2, 4.0 };
        for (int j = 0; j < 4; j++) Assert.Equal(e[j] / (norms[j] + 1e-9), scores[j], 9);
    }

    [Fact]
    public void Prune_zeroes_exactly_the_chosen_columns()
    {
        using var scope = NewDisposeScope();
        var w = T(Wt).clone();
        UnitPruning.Prune(w, [1, 3]);
        var got = w.data<double>().ToArray();
        Assert.Equal(new[] { 0.5, 0.0, 0.2, 0.0, 1.5, 0.0, -0.4, 0.0 }, got);
    }

    [Fact]
    public void Top_orders_by_score_with_ties_by_index()
    {
        Assert.Equal(new[] { 1, 3, 0 }, UnitPruning.Top([0.5, 2.0, 0.1, 2.0], 3));
        Assert.Empty(UnitPruning.Top([1.0, 2.0], 0));
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        using var scope = NewDisposeScope();
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => UnitPruning.RemovalErrors(T(H), T(new double[,] { { 1, 2, 3 } }))).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => UnitPruning.RemovalErrors(zeros(0, 4, dtype: ScalarType.Float64), T(Wt))).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => UnitPruning.RemovalErrors(zeros(4, dtype: ScalarType.Float64), T(Wt))).ParamName);
        Assert.Equal("nextWeight", Assert.Throws<ArgumentException>(() => UnitPruning.RemovalErrors(T(H), zeros(4, dtype: ScalarType.Float64))).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => UnitPruning.RemovalErrors(zeros(new long[] { 3, 4 }, dtype: ScalarType.Int64), T(Wt))).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => UnitPruning.ContrastScores(T(H), T(H), T(Wt), 0)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => UnitPruning.Top([1.0, 2.0], 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => UnitPruning.Top([1.0, 2.0], -1)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => UnitPruning.Top([1.0, double.NaN], 1)).ParamName);
        Assert.Equal("units", Assert.Throws<ArgumentOutOfRangeException>(() => UnitPruning.Prune(T(Wt).clone(), [4])).ParamName);
        Assert.Equal("nextWeight", Assert.Throws<ArgumentException>(() => UnitPruning.Prune(zeros(4, dtype: ScalarType.Float64), [0])).ParamName);
    }
}
