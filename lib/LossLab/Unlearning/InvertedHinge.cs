using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Inverted hinge loss (LoKU; Cha et al. 2024, "Towards Robust and Parameter-Efficient Knowledge Unlearning for LLMs",
/// arXiv:2408.06621): ℓᵢ = 1 + pθ(yᵢ|xᵢ) − max_{v≠yᵢ} pθ(v|xᵢ). It lowers the true class while raising the strongest
/// other class, and is bounded in [0, 2], unlike gradient ascent's −log p.
/// </summary>
public sealed class InvertedHinge : IForgetTerm
{
    /// <inheritdoc/>
    public string Name => "IHL";

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        if (logits.shape[1] < 2) throw new ArgumentException($"logits must have at least 2 classes; got shape {Guard.Shape(logits)}.", nameof(logits));
        var p = nn.functional.softmax(logits, 1);
        var index = labels.unsqueeze(1);
        var pTrue = p.gather(1, index).squeeze(1);
        var others = p.scatter(1, index, zeros_like(pTrue).unsqueeze(1) - 1.0);   // the true class cannot be the max
        var pOther = others.max(1).values;
        return 1.0 + pTrue - pOther;
    }
}
