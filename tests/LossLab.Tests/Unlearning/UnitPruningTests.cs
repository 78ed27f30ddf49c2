using LossLab.Unlearning;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace LossLab.Tests.Unlearning;

public class UnitPruningTests
{
    // activations h (n = 3, H = 4) and the next layer's weight W (O = 2, H = 4)
    static readonly double[,] H = { { 1.0, 0.0, 2.0, -1.0 }, { 0.5, 3.0, 0.0, 1.0 }, { -2.0, 1.0, 1.0, 0.0 } };
    static readonly double[,] Wt = { { 0.5, -1.0, 0.2, 2.0 }, { 1.5, 0.3, -0.4, 0.0 } };

    static Tensor T(double[,] a) => tensor(a, dtype: ScalarType.Float64);
    static double[] Flat(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().flatten().data<double>().ToArray();

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Refit_matches_the_closed_form_least_squares_fit_to_the_unpruned_outputs(bool withBias)
    {
        // ReLU-like activations of n = 40 retain inputs on H = 6 units, a next layer with O = 3 outputs; prune units 1 and 4
        const int n = 40, width = 6, outputs = 3;
        int[] prunedUnits = [4, 1];
        var rng = new Random(11);
        var h = new double[n, width];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < width; j++) h[i, j] = Math.Max(0, 2 * rng.NextDouble() - 0.6);
            // the pruned units are partly redundant with kept ones, as hidden units of a trained layer are
            h[i, 1] = Math.Max(0, 0.8 * h[i, 0] + 0.4 * h[i, 3] + 0.2 * rng.NextDouble() - 0.1);
            h[i, 4] = Math.Max(0, h[i, 2] - 0.5 * h[i, 5] + 0.2 * rng.NextDouble());
        }
        var w0 = new double[outputs, width];
        for (int o = 0; o < outputs; o++) for (int j = 0; j < width; j++) w0[o, j] = 2 * rng.NextDouble() - 1;
        double[] b0 = [0.3, -0.2, 0.1];

        // reference: targets Y = H W₀ᵀ + b₀, design [H_K 1], β = (XᵀX)⁻¹XᵀY by MathNet's QR in float64
        var kept = Enumerable.Range(0, width).Except(prunedUnits).ToArray();
        var hm = Matrix<double>.Build.DenseOfArray(h);
        var y = hm * Matrix<double>.Build.DenseOfArray(w0).Transpose();
        if (withBias) for (int i = 0; i < n; i++) for (int o = 0; o < outputs; o++) y[i, o] += b0[o];
        var x = Matrix<double>.Build.Dense(n, kept.Length + (withBias ? 1 : 0), (i, c) => c < kept.Length ? h[i, kept[c]] : 1.0);
        var beta = x.QR().Solve(y);
        double refitReference = (x * beta - y).RowNorms(2.0).Sum(r => r * r) / n;
        double prunedReference = 0;
        for (int i = 0; i < n; i++)
            for (int o = 0; o < outputs; o++)
            {
                double d = prunedUnits.Sum(j => w0[o, j] * h[i, j]);
                prunedReference += d * d;
            }
        prunedReference /= n;

        var w = T(w0);
        var b = withBias ? tensor(b0, dtype: ScalarType.Float64) : null;
        var (prunedError, refitError) = UnitPruning.PruneAndRefit(T(h), w, b, prunedUnits);
        var wAfter = Flat(w);
        for (int o = 0; o < outputs; o++)
        {
            foreach (int j in prunedUnits) Assert.Equal(0.0, wAfter[o * width + j]);
            for (int c = 0; c < kept.Length; c++) Assert.Equal(beta[c, o], wAfter[o * width + kept[c]], 1e-9);
            if (withBias) Assert.Equal(beta[kept.Length, o], Flat(b!)[o], 1e-9);
        }
        Assert.Equal(prunedReference, prunedError, 1e-9);
        Assert.Equal(refitReference, refitError, 1e-9);
        Assert.True(refitError < 0.5 * prunedError, $"the re-fit must recover most of the redundant units' contribution ({refitError} vs {prunedError})");
    }

    [Fact]
    public void Refit_without_pruning_reproduces_the_layer_and_bad_arguments_throw()
    {
        var w = T(Wt);
        var b = tensor(new double[] { 0.5, -1.0 }, dtype: ScalarType.Float64);
        // H (3 × 4) plus a column of ones has rank 3 < 5: the minimum-norm fit still reproduces the outputs exactly
        var (pruned, refit) = UnitPruning.PruneAndRefit(T(H), w, b, []);
        Assert.Equal(0.0, pruned);
        Assert.Equal(0.0, refit, 1e-20);
        var hw = Matrix<double>.Build.DenseOfArray(H);
        var before = hw * Matrix<double>.Build.DenseOfArray(Wt).Transpose();
        var after = hw * Matrix<double>.Build.DenseOfRowMajor(2, 4, Flat(w)).Transpose();
        var bAfter = Flat(b);
        for (int i = 0; i < 3; i++) for (int o = 0; o < 2; o++) Assert.Equal(before[i, o] + (o == 0 ? 0.5 : -1.0), after[i, o] + bAfter[o], 1e-10);
        Assert.Equal("units", Assert.Throws<ArgumentOutOfRangeException>(() => UnitPruning.PruneAndRefit(T(H), T(Wt), null, [4])).ParamName);
        Assert.Equal("nextBias", Assert.Throws<ArgumentException>(() => UnitPruning.PruneAndRefit(T(H), T(Wt), zeros(3, dtype: ScalarType.Float64), [0])).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => UnitPruning.PruneAndRefit(T(new double[,] { { 1, 2, 3 } }), T(Wt), null, [0])).ParamName);
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
