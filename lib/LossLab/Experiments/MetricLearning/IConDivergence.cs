using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// I-Con (Alshammari et al., ICLR 2025, arXiv:2504.16929): a representation loss as the average over anchors of
/// KL(p(·|i) ‖ q(·|i)) between a supervisory neighbour distribution p and the learned one
/// q(j|i) = exp(s_ij/τ) / Σ_{k≠i} exp(s_ik/τ) (j ≠ i). Since KL(p‖q) = H(p, q) − H(p), it equals a cross-entropy loss up to
/// the entropy of p, which does not depend on the parameters: with p uniform over same-label samples H(p, q) is SupCon's
/// L_out per anchor (Khosla et al., arXiv:2004.11362); with p on the other view of the same sample H(p) = 0 and the KL is
/// NT-Xent (Chen et al., arXiv:2002.05709).
/// </summary>
public static class IConDivergence
{
    /// <summary>KL(p(·|i) ‖ q(·|i)) per anchor (N), from similarities <paramref name="similarity"/> (N, N) and neighbour
    /// probabilities <paramref name="neighbours"/> (N, N; rows sum to 1 or are all zero, zero diagonal). An all-zero row
    /// gives 0 with zero gradient. Differentiable in the similarities.</summary>
    /// <exception cref="ArgumentException">Shapes that are not one square matrix, or non-floating tensors.</exception>
    public static Tensor PerAnchor(Tensor similarity, Tensor neighbours, double temperature)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(neighbours);
        Guard.Rank(similarity, 2, nameof(similarity));
        Guard.Floating(similarity, nameof(similarity));
        Guard.Floating(neighbours, nameof(neighbours));
        if (similarity.shape[0] != similarity.shape[1])
            throw new ArgumentException($"similarity must be square; got {Guard.Shape(similarity)}.", nameof(similarity));
        Guard.SameShape(similarity, neighbours, nameof(similarity), nameof(neighbours));
        Guard.Positive(temperature, nameof(temperature));
        long n = similarity.shape[0];
        var self = eye(n, dtype: ScalarType.Bool, device: similarity.device);
        var logits = (similarity / temperature).masked_fill(self, TorchScalars.NegativeInfinity);
        var logQ = (logits - logits.logsumexp(1, keepdim: true)).masked_fill(self, TorchScalars.Zero);
        var p = neighbours.to_type(similarity.dtype);
        var plogp = p.xlogy(p);
        return (plogp - p * logQ).sum(1);
    }

    /// <summary>The entropy H(p(·|i)) per anchor (N) of neighbour probabilities (N, N).</summary>
    public static Tensor Entropy(Tensor neighbours) => -neighbours.xlogy(neighbours).sum(1);

    /// <summary>Label-based neighbours: p(j|i) = 1/|P(i)| for j ≠ i with y_j = y_i, 0 otherwise (a row without
    /// same-label samples is all zero). Float64.</summary>
    public static Tensor LabelNeighbours(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Rank(labels, 1, nameof(labels));
        Guard.Labels(labels, nameof(labels));
        long n = labels.shape[0];
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0))
            .logical_and(eye(n, dtype: ScalarType.Bool, device: labels.device).logical_not()).to_type(ScalarType.Float64);
        return same / same.sum(1, keepdim: true).clamp_min(1);
    }

    /// <summary>View-pair neighbours for two stacked views of N samples (2N rows): p(j|i) = 1 for j = i ± N. Float64.</summary>
    public static Tensor ViewNeighbours(long samples, Device? device = null)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        var index = arange(2 * samples, dtype: ScalarType.Int64, device: device);
        var partner = (index + samples) % (2 * samples);
        return nn.functional.one_hot(partner, 2 * samples).to_type(ScalarType.Float64);
    }
}
