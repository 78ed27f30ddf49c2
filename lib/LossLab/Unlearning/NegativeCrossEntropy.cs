using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Gradient ascent's forget term: ℓᵢ = −CE(zᵢ, yᵢ) = log pθ(yᵢ|xᵢ). Minimising it raises the forget set's loss; it is
/// unbounded below, which is why GA diverges (Golatkar et al. 2020; the GA baseline of SalUn, Fan et al. 2024, arXiv:2310.12508).
/// </summary>
public sealed class NegativeCrossEntropy : IForgetTerm
{
    /// <inheritdoc/>
    public string Name => "-CE";

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        return nn.functional.log_softmax(logits, 1).gather(1, labels.unsqueeze(1)).squeeze(1);
    }
}
