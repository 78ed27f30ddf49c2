using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// LoReUn, loss-based re-weighting of forget samples ("LoReUn: Data Itself Implicitly Provides Cues to Improve Machine
/// Unlearning", 2025): a forget sample whose current loss is low is still memorised and hard to unlearn, so it gets more
/// weight. Dynamic form, per batch: wᵢ = B·softmax(−CE(zᵢ, yᵢ)/T)ᵢ (mean weight 1, held constant in backprop), applied to
/// the values of any forget term: ℓ′ᵢ = wᵢ·ℓᵢ.
/// </summary>
/// <remarks>Dynamic weights are normalised over each forget batch, so they follow the model as it changes. Static
/// weights (<see cref="Static"/>) are computed once at the original model over the whole forget set,
/// wᵢ = N·softmax(−CE(zᵢ, yᵢ)/T)ᵢ over D_f, and looked up through <see cref="UnlearningBatch.ForgetIndex"/>.</remarks>
public sealed class LoReUnWeighting : IForgetTerm, IDisposable
{
    Tensor? staticWeights;

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

    /// <summary>Whether the weights were fixed over D_f at the original model.</summary>
    public bool IsStatic => staticWeights is not null;

    /// <summary>Static LoReUn: weights N·softmax(−ℓ/T) over all of <paramref name="forget"/> at <paramref name="model"/>'s
    /// current (original) state.</summary>
    public static LoReUnWeighting Static(IForgetTerm inner, nn.Module<Tensor, Tensor> model, LossLab.Data.LabeledTensors forget, double temperature = 1.0)
    {
        var term = new LoReUnWeighting(inner, temperature);
        using var scope = NewDisposeScope();
        var logits = ModelOutputs.Logits(model, forget);
        term.staticWeights = term.Weights(logits, forget.Labels.cpu().to_type(ScalarType.Int64)).MoveToOuterDisposeScope().DetachFromDisposeScope();
        return term;
    }

    /// <summary>The static weights over D_f (null for dynamic weighting).</summary>
    public Tensor? StaticWeights => staticWeights;

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels) => Weights(logits, labels) * Inner.PerSample(logits, labels);

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels, UnlearningBatch batch)
    {
        if (staticWeights is null) return Weights(logits, labels) * Inner.PerSample(logits, labels, batch);
        if (batch.ForgetIndex is null)
            throw new ArgumentException("Static LoReUn weights need the batch's forget indices (UnlearningBatch.ForgetIndex).", nameof(batch));
        var w = staticWeights.index_select(0, batch.ForgetIndex.cpu()).to(logits.dtype, logits.device);
        return w * Inner.PerSample(logits, labels, batch);
    }

    /// <summary>Frees the static weights.</summary>
    public void Dispose()
    {
        staticWeights?.Dispose();
        staticWeights = null;
    }
}
