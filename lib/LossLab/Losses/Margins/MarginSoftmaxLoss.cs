using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>Base of the margin-softmax heads: a learnable (C, D) class-weight matrix W, cosine logits
/// cos θ_j = x̂ᵀŵ_j between the L2-normalised embedding and class weights, a head-specific change of the target logit, a
/// scale s, and softmax cross-entropy: L = CE(s·[cos θ_j, j ≠ y; f(cos θ_y) at y], y). Weights start from N(0, 1), as in
/// pytorch-metric-learning.</summary>
public abstract class MarginSoftmaxLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter weight;

    /// <summary>Creates the head's weights and checks the sizes and the scale.</summary>
    protected MarginSoftmaxLoss(string name, long numClasses, long embeddingSize, double scale, nn.Reduction reduction, ScalarType dtype)
        : base(name)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be positive.");
        Scale = Guard.Positive(scale, nameof(scale));
        Reduction = reduction;
        NumClasses = numClasses;
        weight = new Parameter(torch.randn(numClasses, embeddingSize, dtype: dtype));
        register_parameter("weight", weight);
    }

    /// <summary>The (C, D) class weights.</summary>
    public Parameter Weight => weight;
    /// <summary>s, the logit scale.</summary>
    public double Scale { get; }
    /// <summary>How per-sample losses are reduced.</summary>
    public nn.Reduction Reduction { get; }
    /// <summary>C.</summary>
    public long NumClasses { get; }

    /// <summary>(B, C) cosines between the normalised embeddings and class weights.</summary>
    public Tensor Cosine(Tensor embeddings) =>
        nn.functional.normalize(embeddings, p: 2, dim: 1).matmul(nn.functional.normalize(weight.to_type(embeddings.dtype), p: 2, dim: 1).t());

    /// <summary>(B, C) scaled logits with the target logit changed by the head's margin.</summary>
    public Tensor Logits(Tensor embeddings, Tensor labels)
    {
        CheckInputs(embeddings, labels);
        var y = labels.to_type(ScalarType.Int64).unsqueeze(1);
        var cos = PrepareCosine(Cosine(embeddings));
        var target = TargetCosine(cos.gather(1, y).squeeze(1), embeddings).unsqueeze(1);
        return Scale * cos.scatter(1, y, target);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels) =>
        nn.functional.cross_entropy(Logits(embeddings, labels), labels.to_type(ScalarType.Int64), reduction: Reduction);

    /// <summary>Per-sample losses ℓ_i weighted by <paramref name="sampleWeights"/> s_i (B), then reduced as every LossLab
    /// loss reduces weighted samples (PyTorch's weighted-mean convention): None → s_i·ℓ_i; Sum → Σ s_i·ℓ_i;
    /// Mean → Σ s_i·ℓ_i / Σ s_i (0 with a zero gradient when Σ s_i = 0).</summary>
    /// <exception cref="ArgumentException"><paramref name="sampleWeights"/> is not a floating (B) tensor.</exception>
    public Tensor Forward(Tensor embeddings, Tensor labels, Tensor sampleWeights)
    {
        ArgumentNullException.ThrowIfNull(sampleWeights);
        CheckInputs(embeddings, labels);
        LossReduction.CheckSampleWeights(sampleWeights, embeddings.shape[0]);
        var per = nn.functional.cross_entropy(Logits(embeddings, labels), labels.to_type(ScalarType.Int64), reduction: nn.Reduction.None);
        return LossReduction.Reduce(per, Reduction, sampleWeights.to(embeddings.dtype, embeddings.device));
    }

    /// <summary>Throws unless (B, D) embeddings with D = the weights' size come with B labels in [0, C).</summary>
    protected void CheckInputs(Tensor embeddings, Tensor labels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        if (embeddings.shape[1] != weight.shape[1])
            throw new ArgumentException($"embeddings must have {weight.shape[1]} columns (the head's embedding size); got shape {Guard.Shape(embeddings)}.",
                nameof(embeddings));
        Guard.LabelRange(labels, NumClasses, nameof(labels));
    }

    /// <summary>Adjusts all cosines before the target is changed (identity by default).</summary>
    protected virtual Tensor PrepareCosine(Tensor cosine) => cosine;

    /// <summary>The head's margin: the (B) target cosines cos θ_y become f(cos θ_y).</summary>
    protected abstract Tensor TargetCosine(Tensor targetCosine, Tensor embeddings);

    /// <summary>sin θ from cos θ, kept away from the infinite slope at |cos θ| = 1.</summary>
    protected static Tensor Sine(Tensor cosine) => (1 - cosine.pow(2)).clamp_min(1e-12).sqrt();
}
