using LossLab.Experiments.Imbalance;
using MathNet.Numerics.LinearAlgebra;

namespace LossLab.Tests.Experiments.Imbalance;

public class UnconstrainedFeaturesTests
{
    static readonly int[] Counts = [5, 3, 1];

    [Fact]
    public void The_gradient_matches_central_finite_differences_of_the_objective()
    {
        var rng = new Random(3);
        var w = Matrix<double>.Build.Dense(3, 4, (_, _) => rng.NextDouble() - 0.5);
        var h = Matrix<double>.Build.Dense(4, 9, (_, _) => rng.NextDouble() - 0.5);
        var (gw, gh) = UnconstrainedFeatures.Gradient(w, h, Counts, 0.01, 0.02);
        const double e = 1e-6;
        double F(Matrix<double> a, Matrix<double> b) => UnconstrainedFeatures.Objective(a, b, Counts, 0.01, 0.02);
        for (int i = 0; i < w.RowCount; i++)
            for (int j = 0; j < w.ColumnCount; j++)
            {
                var (p, m) = (w.Clone(), w.Clone());
                p[i, j] += e; m[i, j] -= e;
                Assert.Equal((F(p, h) - F(m, h)) / (2 * e), gw[i, j], 8);
            }
        for (int i = 0; i < h.RowCount; i++)
            for (int j = 0; j < h.ColumnCount; j++)
            {
                var (p, m) = (h.Clone(), h.Clone());
                p[i, j] += e; m[i, j] -= e;
                Assert.Equal((F(w, p) - F(w, m)) / (2 * e), gh[i, j], 8);
            }
    }

    [Fact]
    public void The_objective_is_an_explicit_float64_sum()
    {
        var w = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 0, -1 }, { 3, 1 } });
        var h = Matrix<double>.Build.Dense(2, 9, (i, j) => (i + 1) * 0.1 * (j - 4));
        double loss = 0;
        for (int c = 0, col = 0; c < 3; c++)
            for (int k = 0; k < Counts[c]; k++, col++)
                for (int r = 0; r < 3; r++)
                {
                    double z = w[r, 0] * h[0, col] + w[r, 1] * h[1, col] - (r == c ? 1 : 0);
                    loss += z * z;
                }
        double expected = loss / (2 * 9) + 0.5 * 0.01 * w.Enumerate().Sum(v => v * v) + 0.5 * 0.02 * h.Enumerate().Sum(v => v * v);
        Assert.Equal(expected, UnconstrainedFeatures.Objective(w, h, Counts, 0.01, 0.02), 12);
    }

    [Fact]
    public void The_fit_is_stationary_same_seed_same_fit_and_features_of_a_class_coincide()
    {
        var fit = UnconstrainedFeatures.Fit(Counts, 4, 1e-3, 1e-3, seed: 7);
        var (gw, gh) = UnconstrainedFeatures.Gradient(fit.W, fit.H, Counts, 1e-3, 1e-3);
        Assert.True(gw.FrobeniusNorm() < 1e-7 && gh.FrobeniusNorm() < 1e-7, $"gradient norms {gw.FrobeniusNorm()}, {gh.FrobeniusNorm()} after {fit.Sweeps} sweeps");
        Assert.Equal(fit.W, UnconstrainedFeatures.Fit(Counts, 4, 1e-3, 1e-3, seed: 7).W);
        // With W fixed, each feature solves the same ridge problem as the others of its class: they are equal.
        for (int i = 1; i < 5; i++) Assert.True((fit.H.Column(i) - fit.H.Column(0)).L2Norm() < 1e-12);
        Assert.Equal(3, fit.ClassMeans().Count);
        Assert.True((fit.H.Column(5) - fit.ClassMeans()[1]).L2Norm() < 1e-12);
    }

    [Fact]
    public void The_minimiser_has_orthogonal_class_means_with_the_closed_form_lengths()
    {
        // With orthogonal, aligned class means the classes decouple: class k minimises
        // n_k/(2N)(a b − 1)² + λ_W a²/2 + λ_H n_k b²/2 over the row norm a and the feature norm b, whose solution is
        // a b = p_k = 1 − N √(λ_W λ_H / n_k), b/a = √(λ_W / (n_k λ_H)). Unequal decays, so both factors matter.
        const double lw = 2e-3, lh = 5e-4;
        int[] counts = [20, 7, 3];
        int n = counts.Sum();
        var fit = UnconstrainedFeatures.Fit(counts, 5, lw, lh, seed: 2);
        Assert.True(fit.MaxAbsCosine() < 1e-8, $"max |cos| {fit.MaxAbsCosine()}");
        var means = fit.ClassMeans();
        for (int k = 0; k < counts.Length; k++)
        {
            double p = 1 - n * Math.Sqrt(lw * lh / counts[k]);
            double ratio = Math.Sqrt(lw / (counts[k] * lh));
            // The fit stops when a sweep changes f by < 1e-12 (relative): parameters are then within about √1e-12 = 1e-6.
            Assert.Equal(Math.Sqrt(p * ratio), means[k].L2Norm(), 1e-5);
            Assert.Equal(Math.Sqrt(p / ratio), fit.W.Row(k).L2Norm(), 1e-5);
        }
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        Assert.Contains("two classes", Assert.Throws<ArgumentException>(() => UnconstrainedFeatures.Fit([3], 4, 1e-3, 1e-3, 1)).Message);
        Assert.Contains("at least one sample", Assert.Throws<ArgumentException>(() => UnconstrainedFeatures.Fit([3, 0], 4, 1e-3, 1e-3, 1)).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => UnconstrainedFeatures.Fit([3, 2], 4, 0, 1e-3, 1)).Message);
    }
}
