using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Sharpness of a loss at the current parameters: the top Hessian eigenvalue by power iteration, Hutchinson's
/// trace estimate, and the one-step ρ-sharpness of SAM.</summary>
public static class Sharpness
{
    /// <summary>The eigenvalue of largest magnitude of the Hessian by power iteration on Hessian-vector products
    /// (as in PyHessian, Yao et al., 2020, arXiv:1912.07145): v ← Hv/‖Hv‖, λ = vᵀHv, from a seeded Gaussian v, until
    /// |Δλ| ≤ tol·|λ| or <paramref name="maxIterations"/>. Near a minimum this is λ_max, the sharpness of Cohen et al.
    /// (2021, arXiv:2103.00065), whose edge-of-stability ratio is η·λ_max/2.</summary>
    /// <param name="hessian">The Hessian operator of the loss.</param>
    /// <param name="maxIterations">Upper bound on products (≥ 1).</param>
    /// <param name="tolerance">Relative change of λ that stops the iteration.</param>
    /// <param name="seed">Seed of the start vector.</param>
    /// <returns>λ and the number of products used.</returns>
    public static (double Eigenvalue, int Iterations) TopEigenvalue(HessianOperator hessian, int maxIterations = 100,
        double tolerance = 1e-6, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be at least 1.");
        Guard.NonNegative(tolerance, nameof(tolerance));
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        var reference = hessian.Gradient();
        var v = Normalize(reference.Select(g => torch.randn(g.shape, dtype: g.dtype, device: gen.device, generator: gen).to(g.device)).ToArray());
        var lambda = double.NaN;
        for (var i = 1; i <= maxIterations; i++)
        {
            var hv = hessian.Multiply(v);
            var next = Dot(v, hv);
            var norm = Norm(hv);
            if (norm == 0) return (0, i);
            v = hv.Select(h => h / norm).ToArray();
            if (Math.Abs(next - lambda) <= tolerance * Math.Abs(next)) return (next, i);
            lambda = next;
        }
        return (lambda, maxIterations);
    }

    /// <summary>Convenience: λ_max of <paramref name="loss"/> with respect to <paramref name="parameters"/>.</summary>
    public static (double Eigenvalue, int Iterations) TopEigenvalue(Tensor loss, IEnumerable<Tensor> parameters, int maxIterations = 100,
        double tolerance = 1e-6, long seed = 0)
    {
        using var h = new HessianOperator(loss, parameters);
        return TopEigenvalue(h, maxIterations, tolerance, seed);
    }

    /// <summary>Hutchinson's estimator of Tr H (Hutchinson, 1989): the mean of vᵀHv over <paramref name="samples"/> seeded
    /// Rademacher vectors v (entries ±1), unbiased since E[vvᵀ] = I.</summary>
    public static double HutchinsonTrace(HessianOperator hessian, int samples = 100, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        var reference = hessian.Gradient();
        double sum = 0;
        for (var s = 0; s < samples; s++)
        {
            var v = reference.Select(g => torch.randint(0, 2, g.shape, dtype: g.dtype, device: gen.device, generator: gen).to(g.device).mul_(2).sub_(1)).ToArray();
            sum += Dot(v, hessian.Multiply(v));
        }
        return sum / samples;
    }

    /// <summary>Convenience: Hutchinson's trace of <paramref name="loss"/>'s Hessian.</summary>
    public static double HutchinsonTrace(Tensor loss, IEnumerable<Tensor> parameters, int samples = 100, long seed = 0)
    {
        using var h = new HessianOperator(loss, parameters);
        return HutchinsonTrace(h, samples, seed);
    }

    /// <summary>One-step ρ-sharpness (Foret et al., 2021, arXiv:2010.01412): L(w + ε̂) − L(w) with ε̂ = ρ·g/‖g‖, the
    /// first-order solution of max_{‖ε‖≤ρ} L(w + ε). The parameters are restored afterwards.</summary>
    /// <param name="loss">Computes the loss from the current parameters (called twice, the first time with autograd).</param>
    /// <param name="parameters">The parameters to perturb.</param>
    /// <param name="rho">ρ &gt; 0.</param>
    public static double RhoSharpness(Func<Tensor> loss, IEnumerable<Parameter> parameters, double rho = 0.05)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(rho, nameof(rho));
        var ps = parameters.ToArray();
        using var scope = torch.NewDisposeScope();
        Tensor[] grads;
        double before;
        using (torch.enable_grad())
        {
            var l0 = loss();
            before = l0.ToDouble();
            grads = torch.autograd.grad([l0], ps, allow_unused: true)
                .Select((g, i) => g is null || g.IsInvalid ? torch.zeros_like(ps[i]) : g).ToArray();
        }
        var norm = Norm(grads);
        if (norm == 0) return 0;
        var originals = ps.Select(p => p.detach().clone()).ToArray();
        try
        {
            using (torch.no_grad())
                for (var i = 0; i < ps.Length; i++) ps[i].add_(grads[i], alpha: rho / norm);
            using (torch.no_grad()) return loss().ToDouble() - before;
        }
        finally
        {
            using (torch.no_grad())
                for (var i = 0; i < ps.Length; i++) ps[i].copy_(originals[i]);
        }
    }

    internal static double Dot(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b)
    {
        double s = 0;
        for (var i = 0; i < a.Count; i++) s += (a[i].to_type(ScalarType.Float64) * b[i].to_type(ScalarType.Float64)).sum().ToDouble();
        return s;
    }

    internal static double Norm(IReadOnlyList<Tensor> a) => Math.Sqrt(Dot(a, a));

    static Tensor[] Normalize(Tensor[] v)
    {
        var n = Norm(v);
        return v.Select(t => t / n).ToArray();
    }
}
