using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// The forget part of an unlearning objective as per-sample values over a forget batch, lower is "more forgotten":
/// negative cross-entropy for gradient ascent, cross-entropy to random labels, the inverted hinge, FLAT's f-divergence
/// term. Per-sample values let a re-weighting (<see cref="LoReUnWeighting"/>) apply to any forget term.
/// </summary>
public interface IForgetTerm
{
    /// <summary>A short name for tables.</summary>
    string Name { get; }

    /// <summary>Per-sample values (N) from logits (N, C) and true labels (N).</summary>
    Tensor PerSample(Tensor logits, Tensor labels);

    /// <summary>Per-sample values for the forget part of <paramref name="batch"/>; terms with per-sample state read
    /// <see cref="UnlearningBatch.ForgetIndex"/>. By default the same as <see cref="PerSample(Tensor, Tensor)"/>.</summary>
    Tensor PerSample(Tensor logits, Tensor labels, UnlearningBatch batch) => PerSample(logits, labels);
}
