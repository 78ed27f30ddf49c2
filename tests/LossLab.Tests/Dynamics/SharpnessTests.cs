using LossLab.Dynamics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class SharpnessTests
{
    // A = Q·diag(4, 2, 1, 0.5)·Qᵀ with Q a product of two Givens rotations (orthogonal): eigenvalues known.
    static readonly double[] Eigen = [4, 2, 1, 0.5];

    static double[,] KnownHessian()
    {
        var q = new double[4, 4];
        double c1 = Math.Cos(0.7), s1 = Math.Sin(0.7), c2 = Math.Cos(-1.1), s2 = Math.Sin(-1.1);
        var g1 = new double[4, 4] { { c1, -s1, 0, 0 }, { s1, c1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
        var g2 = new double[4, 4] { { 1, 0, 0, 0 }, { 0, c2, 0, -s2 }, { 0, 0, 1, 0 }, { 0, s2, 0, c2 } };
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) for (var k = 0; k < 4; k++) q[i, j] += g1[i, k] * g2[k, j];
        var a = new double[4, 4];
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) for (var k = 0; k < 4; k++) a[i, j] += q[i, k] * Eigen[k] * q[j, k];
        return a;
    }

    /// <summary>L = ½·wᵀAw + bᵀw with w = concat(x (2), y (2, 1)) split over two tensors.</summary>
    static (Tensor Loss, Parameter X, Parameter Y) Quadratic(double[,] a, double[] w0)
    {
        var x = new Parameter(tensor(new[] { w0[0], w0[1] }), requires_grad: true);
        var y = new Parameter(tensor(new[] { w0[2], w0[3] }).reshape(2, 1), requires_grad: true);
        var w = torch.cat([x, y.reshape(-1)]);
        var am = torch.tensor(Enumerable.Range(0, 16).Select(k => a[k / 4, k % 4]).ToArray()).reshape(4, 4);
        var b = torch.tensor(new[] { 0.3, -0.1, 0.2, 0.4 });
        var loss = 0.5 * w.matmul(am.matmul(w)) + b.dot(w);
        return (loss, x, y);
    }

    [Fact]
    public void Power_iteration_finds_the_top_eigenvalue_of_a_known_quadratic()
    {
        var (loss, x, y) = Quadratic(KnownHessian(), [1, -2, 0.5, 3]);
        var (lambda, iterations) = Sharpness.TopEigenvalue(loss, [x, y], maxIterations: 500, tolerance: 1e-13);
        Assert.Equal(4.0, lambda, 9);
        Assert.True(iterations < 500);
    }

    [Fact]
    public void Hessian_vector_product_equals_a_times_v_on_a_quadratic()
    {
        var a = KnownHessian();
        var (loss, x, y) = Quadratic(a, [1, -2, 0.5, 3]);
        using var h = new HessianOperator(loss, [x, y]);
        double[] v = [0.2, -1, 0.7, 0.1];
        var hv = h.Multiply([tensor(new[] { v[0], v[1] }), tensor(new[] { v[2], v[3] }).reshape(2, 1)]);
        var got = hv[0].data<double>().Concat(hv[1].data<double>()).ToArray();
        for (var i = 0; i < 4; i++)
            Assert.Equal(Enumerable.Range(0, 4).Sum(j => a[i, j] * v[j]), got[i], 12);
        Assert.Equal(4, h.Dimension);
    }

    [Fact]
    public void Hutchinson_trace_is_exact_for_a_diagonal_hessian_and_within_its_variance_otherwise()
    {
        var diag = new double[4, 4];
        for (var i = 0; i < 4; i++) diag[i, i] = Eigen[i];
        var (l1, x1, y1) = Quadratic(diag, [1, 1, 1, 1]);
        Assert.Equal(7.5, Sharpness.HutchinsonTrace(l1, [x1, y1], samples: 3), 12);   // vᵢ² = 1: every sample is exact

        var a = KnownHessian();
        var (l2, x2, y2) = Quadratic(a, [1, 1, 1, 1]);
        const int n = 400;
        var estimate = Sharpness.HutchinsonTrace(l2, [x2, y2], samples: n, seed: 3);
        double offDiagonal = 0;
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) if (i != j) offDiagonal += a[i, j] * a[i, j];
        var sd = Math.Sqrt(2 * offDiagonal / n);                    // Var(vᵀAv) = 2·Σ_{i≠j} A_ij² for Rademacher v
        Assert.InRange(estimate, 7.5 - 4 * sd, 7.5 + 4 * sd);
        Assert.True(sd > 0.01, "the test needs a non-diagonal A to mean anything");
    }

    [Fact]
    public void Hessian_vector_products_of_an_mlp_match_finite_differences_of_its_gradient()
    {
        torch.manual_seed(7);
        var l1 = nn.Linear(3, 5, dtype: ScalarType.Float64);
        var l2 = nn.Linear(5, 2, dtype: ScalarType.Float64);
        var input = torch.randn(6, 3, dtype: ScalarType.Float64);
        var target = torch.randn(6, 2, dtype: ScalarType.Float64);
        var ps = l1.parameters().Concat(l2.parameters()).ToArray();
        Tensor Loss() => (l2.forward(torch.tanh(l1.forward(input))) - target).square().mean();
        var v = ps.Select(p => torch.randn(p.shape, dtype: ScalarType.Float64)).ToArray();

        using var h = new HessianOperator(Loss(), ps);
        var hv = h.Multiply(v);

        double[] GradientAt(double shift)
        {
            using (torch.no_grad()) for (var i = 0; i < ps.Length; i++) ps[i].add_(v[i], alpha: shift);
            var g = torch.autograd.grad([Loss()], ps);
            using (torch.no_grad()) for (var i = 0; i < ps.Length; i++) ps[i].add_(v[i], alpha: -shift);
            return g.SelectMany(t => t.data<double>().ToArray()).ToArray();
        }
        const double eps = 1e-5;
        var plus = GradientAt(eps);
        var minus = GradientAt(-eps);
        var got = hv.SelectMany(t => t.data<double>().ToArray()).ToArray();
        for (var i = 0; i < got.Length; i++)
            Assert.True(Math.Abs((plus[i] - minus[i]) / (2 * eps) - got[i]) < 1e-7, $"coordinate {i}");
    }

    [Fact]
    public void Rho_sharpness_on_a_quadratic_matches_the_closed_form_and_restores_the_weights()
    {
        var a = KnownHessian();
        double[] w0 = [1, -2, 0.5, 3];
        double[] b = [0.3, -0.1, 0.2, 0.4];
        var (_, x, y) = Quadratic(a, w0);
        Tensor Loss() => Quadratic2(a, x, y, b);
        const double rho = 0.1;
        var s = Sharpness.RhoSharpness(Loss, [x, y], rho);
        var g = Enumerable.Range(0, 4).Select(i => b[i] + Enumerable.Range(0, 4).Sum(j => a[i, j] * w0[j])).ToArray();
        var n = Math.Sqrt(g.Sum(z => z * z));
        var u = g.Select(z => z / n).ToArray();
        var uAu = Enumerable.Range(0, 4).Sum(i => Enumerable.Range(0, 4).Sum(j => u[i] * a[i, j] * u[j]));
        Assert.Equal(rho * n + 0.5 * rho * rho * uAu, s, 10);
        Assert.Equal(new[] { w0[0], w0[1] }, x.detach().data<double>().ToArray());
        Assert.Equal(new[] { w0[2], w0[3] }, y.detach().data<double>().ToArray());
    }

    static Tensor Quadratic2(double[,] a, Tensor x, Tensor y, double[] b)
    {
        var w = torch.cat([x, y.reshape(-1)]);
        var am = torch.tensor(Enumerable.Range(0, 16).Select(k => a[k / 4, k % 4]).ToArray()).reshape(4, 4);
        return 0.5 * w.matmul(am.matmul(w)) + torch.tensor(b).dot(w);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var (loss, x, y) = Quadratic(KnownHessian(), [1, 1, 1, 1]);
        Assert.Equal("loss", Assert.Throws<ArgumentException>(() => new HessianOperator(torch.ones(2), [x])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new HessianOperator(loss, [])).ParamName);
        using var h = new HessianOperator(loss, [x, y]);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => h.Multiply([torch.ones(2)])).ParamName);
        Assert.Equal("v[1]", Assert.Throws<ArgumentException>(() => h.Multiply([torch.ones(2), torch.ones(2)])).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => Sharpness.TopEigenvalue(h, 0)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Sharpness.HutchinsonTrace(h, 0)).ParamName);
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => Sharpness.RhoSharpness(() => loss, [x], 0)).ParamName);
    }
}
