using LossLab.Unlearning;

namespace LossLab.Tests.Unlearning;

public class SupportVectorClassifierTests
{
    [Fact]
    public void Two_points_give_the_closed_form_dual_solution()
    {
        // x = 0 (class 1), x = 1 (class 0), γ = 1: α₁ = α₂ = 1/(1 − e⁻¹) < C, ρ = 0, f(x) = α(K(0, x) − K(1, x)).
        var svc = SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 0], c: 3.0);
        double a = 1 / (1 - Math.Exp(-1));
        Assert.True(svc.Converged);
        Assert.Equal(0.0, svc.Rho, 1e-9);
        foreach (var x in new[] { -0.3, 0.2, 0.5, 0.9, 1.7 })
            Assert.Equal(a * (Math.Exp(-x * x) - Math.Exp(-(1 - x) * (1 - x))), svc.Decision([x]), 1e-9);
        Assert.Equal(1, svc.Predict([0.2]));
        Assert.Equal(0, svc.Predict([0.8]));
    }

    [Fact]
    public void A_small_C_caps_the_two_point_solution_at_the_box()
    {
        var svc = SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 0], c: 0.5);
        // α = C = 0.5 on both: f(x) = 0.5(K(0,x) − K(1,x)) − ρ, and by symmetry ρ = 0.
        Assert.Equal(new[] { 0.5, 0.5 }, svc.Alpha);
        Assert.Equal(0.5 * (1 - Math.Exp(-1)), svc.Decision([0.0]), 1e-9);
    }

    [Fact]
    public void The_solution_satisfies_the_dual_KKT_conditions_on_overlapping_data()
    {
        var rng = new Random(5);
        int n = 80;
        var x = new double[n][]; var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            x[i] = [y[i] == 1 ? 0.6 + 0.3 * Gauss(rng) : 0.3 + 0.3 * Gauss(rng), Gauss(rng)];
        }
        const double C = 3, tol = 1e-3;
        var svc = SupportVectorClassifier.Fit(x, y, c: C, gamma: 0.5, tolerance: tol);
        Assert.True(svc.Converged);
        // Optimality of the dual, checked from α with an explicit float64 recomputation of G = Qα − e.
        var alpha = svc.Alpha;
        var sgn = y.Select(v => v == 1 ? 1.0 : -1.0).ToArray();
        Assert.Equal(0.0, alpha.Select((a, i) => a * sgn[i]).Sum(), 1e-9);            // yᵀα = 0
        Assert.All(alpha, a => Assert.InRange(a, 0, C));                               // 0 ≤ α ≤ C
        double up = double.NegativeInfinity, low = double.PositiveInfinity;
        for (int t = 0; t < n; t++)
        {
            double g = -1;
            for (int i = 0; i < n; i++)
            {
                double d = 0;
                for (int c = 0; c < 2; c++) d += (x[i][c] - x[t][c]) * (x[i][c] - x[t][c]);
                g += sgn[t] * sgn[i] * Math.Exp(-0.5 * d) * alpha[i];
            }
            double v = -sgn[t] * g;
            if (sgn[t] > 0 ? alpha[t] < C : alpha[t] > 0) up = Math.Max(up, v);
            if (sgn[t] > 0 ? alpha[t] > 0 : alpha[t] < C) low = Math.Min(low, v);
            // margin conditions: free support vectors sit on the margin, y·f = 1, within the tolerance
            double yf = sgn[t] * svc.Decision(x[t]);
            if (alpha[t] > 1e-9 && alpha[t] < C - 1e-9) Assert.InRange(yf, 1 - tol, 1 + tol);
            if (alpha[t] == 0) Assert.True(yf >= 1 - tol, $"non-support vector {t} has y·f = {yf}");
            if (alpha[t] == C) Assert.True(yf <= 1 + tol, $"bound support vector {t} has y·f = {yf}");
        }
        Assert.True(up - low < tol, $"maximal violating pair {up - low}");
        Assert.Equal(alpha.Count(a => a > 0), svc.SupportVectorCount);
    }

    static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void Separable_clusters_are_classified_perfectly_and_gamma_auto_is_one_over_d()
    {
        var x = new List<double[]>(); var y = new List<int>();
        for (int i = 0; i < 30; i++) { x.Add([0.05 + 0.003 * i, 0]); y.Add(0); x.Add([0.9 + 0.003 * i, 0]); y.Add(1); }
        var svc = SupportVectorClassifier.Fit(x, y, c: 3);
        Assert.Equal(0.5, svc.Gamma);
        for (int i = 0; i < x.Count; i++) Assert.Equal(y[i], svc.Predict(x[i]));
    }

    [Fact]
    public void Bad_inputs_throw_naming_the_argument()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 1])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SupportVectorClassifier.Fit([[0.0], [1.0]], [1])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 2])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SupportVectorClassifier.Fit([[0.0], [1.0, 2.0]], [1, 0])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SupportVectorClassifier.Fit([[double.NaN], [1.0]], [1, 0])).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentOutOfRangeException>(() => SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 0], c: 0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 0], gamma: -1)).ParamName);
        var svc = SupportVectorClassifier.Fit([[0.0], [1.0]], [1, 0]);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => svc.Decision([0.0, 1.0])).ParamName);
    }
}
