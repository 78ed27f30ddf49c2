using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Uniformity of embeddings on the unit hypersphere (Wang and Isola, ICML 2020, arXiv:2005.10242):
/// L_unif = log[ (2 / (N(N−1))) · Σ_{i&lt;j} exp(−t·‖x̂_i − x̂_j‖²) ], x̂ = x/‖x‖, t = 2. More negative is more uniform;
/// the minimum for N points tends to the log of the Gaussian potential's mean over the sphere. Computed in float64 with a
/// log-sum-exp, without gradient.
/// </summary>
public static class Uniformity
{
    /// <summary>L_unif of the rows of <paramref name="embeddings"/> (N ≥ 2, D), L2-normalised first.</summary>
    /// <param name="embeddings">(N, D) floating embeddings, N ≥ 2.</param>
    /// <param name="t">The potential's scale t &gt; 0 (2).</param>
    /// <exception cref="ArgumentException">Not a floating 2-D tensor with at least two rows.</exception>
    public static double Loss(Tensor embeddings, double t = 2)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        Guard.Rank(embeddings, 2, nameof(embeddings));
        Guard.Floating(embeddings, nameof(embeddings));
        if (embeddings.shape[0] < 2)
            throw new ArgumentException($"embeddings must hold at least two rows; got shape {Guard.Shape(embeddings)}.", nameof(embeddings));
        Guard.Positive(t, nameof(t));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = embeddings.shape[0];
        var x = nn.functional.normalize(embeddings.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
        var squared = (2 - 2 * x.matmul(x.t())).clamp_min(0);
        var upper = ones(n, n, dtype: ScalarType.Bool, device: x.device).triu(1);
        var exponents = (-t * squared).masked_select(upper);
        return exponents.logsumexp(0).item<double>() - Math.Log(n * (n - 1) / 2.0);
    }
}
