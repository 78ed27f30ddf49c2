using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// LoReUn, loss-based re-weighting of forget samples ("LoReUn: Data Itself Implicitly Provides Cues to Improve Machine
/// Unlearning", 2025): a forget sample whose current loss is low is still memorised and hard to unlearn, so it gets more
/// weight. Dynamic form, per batch: wᵢ = B·softmax(−CE(zᵢ, yᵢ)/T)ᵢ (mean weight 1, held constant in backprop), applied to
/// the values of any forget term: ℓ′ᵢ = wᵢ·ℓᵢ.
/// </summary>
/// <remarks>The weights are normalised over each forget batch rather than the whole forget set, so they can follow the
/// model as it changes.</remarks>
public sealed class LoReUnWeighting : IForgetTerm
{
    /// <param name="inner">The forget term to re-weight (GA, IHL, RL, FLAT, …).</param>
    /// <param name="temperature">T &gt; 0; small T concentrates weight on the lowest-loss samples.</param>
    public LoReUnWeighting(IForgetTerm inner, double temperature = 1.0)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Temperature = Guard.Positive(temperature, nameof(temperature));
    }

    /// <summary>The re-weighted term.</summary>
    public IForgetTerm Inner { get; }

    /// <summary>T.</summary>
    public double Temperature { get; }

    /// <inheritdoc/>
    public string Name => $"{Inner.Name}+LoReUn";

    /// <summary>The weights wᵢ (detached, mean 1) for a batch.</summary>
    public Tensor Weights(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        using var _ = no_grad();
        var ce = nn.functional.cross_entropy(logits.detach(), labels, reduction: nn.Reduction.None);
        return nn.functional.softmax(-ce / Temperature, 0) * logits.shape[0];
    }

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels) => Weights(logits, labels) * Inner.PerSample(logits, labels);
}
