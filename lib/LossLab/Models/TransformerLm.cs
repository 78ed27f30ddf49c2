using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Models;

/// <summary>
/// A tiny decoder-only Transformer language model (GPT-2 layout, Radford et al. 2019, with pre-LN blocks): token plus
/// learned position embeddings, L <see cref="TransformerBlock"/>s, a final LayerNorm and an untied linear unembedding
/// to V logits. Weights start as N(0, 0.02²), residual projections as N(0, (0.02/√(2L))²), biases at 0.
/// Non-embedding parameters (Kaplan et al. 2020, arXiv:2001.08361), excluding the token, position and unembedding
/// matrices: N = L·(4d² + 2df + 9d + f) + 2d, i.e. L·(12d² + 13d) + 2d for f = 4d (+ 4·d_h per block with QK-norm).
/// </summary>
public sealed class TransformerLm : nn.Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding, positionEmbedding;
    readonly ModuleList<TransformerBlock> blocks;
    readonly LayerNorm finalNorm;
    readonly Linear head;

    /// <summary>Builds the model described by <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size in the configuration is out of range (heads must divide the width).</exception>
    public TransformerLm(TransformerConfig config) : base(nameof(TransformerLm))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        tokenEmbedding = nn.Embedding(config.Vocabulary, config.Width);
        positionEmbedding = nn.Embedding(config.Context, config.Width);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => new TransformerBlock(config)).ToArray());
        finalNorm = nn.LayerNorm(config.Width);
        head = nn.Linear(config.Width, config.Vocabulary, hasBias: false);
        RegisterComponents();
        Initialise();
    }

    /// <summary>The shape of the model.</summary>
    public TransformerConfig Config { get; }

    /// <summary>The blocks, in order (for per-layer measurements such as attention-logit growth).</summary>
    public IReadOnlyList<TransformerBlock> Blocks => [.. blocks];

    /// <summary>All parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Parameters outside the token embedding, position embedding and unembedding matrices (Kaplan's N).</summary>
    public long NonEmbeddingParameterCount =>
        ParameterCount - tokenEmbedding.weight!.numel() - positionEmbedding.weight!.numel() - head.weight!.numel();

    /// <summary>The final hidden states (after the last LayerNorm), (B, T, d), for token ids (B, T) with T ≤ context.</summary>
    public Tensor Features(Tensor tokens)
    {
        if (tokens.dim() != 2)
            throw new ArgumentException($"tokens must be (B, T) token ids; got shape {Guard.Shape(tokens)}.", nameof(tokens));
        if (tokens.dtype != ScalarType.Int64) throw new ArgumentException($"tokens must be int64 token ids; got {tokens.dtype}.", nameof(tokens));
        long t = tokens.shape[1];
        if (t < 1 || t > Config.Context)
            throw new ArgumentException($"tokens must have between 1 and {Config.Context} positions (the context); got shape {Guard.Shape(tokens)}.", nameof(tokens));
        using var positions = arange(t, dtype: ScalarType.Int64, device: tokens.device);
        var x = tokenEmbedding.forward(tokens) + positionEmbedding.forward(positions);
        foreach (var block in blocks) x = block.forward(x);
        return finalNorm.forward(x);
    }

    /// <summary>Next-token logits (B, T, V) for token ids (B, T): position t sees tokens 0…t only.</summary>
    public override Tensor forward(Tensor tokens) => head.forward(Features(tokens));

    /// <summary>
    /// The mean next-token cross-entropy of <paramref name="tokens"/> (B, T) against <paramref name="targets"/> (B, T), plus
    /// the optional z-loss λ_z·mean(log Z)², log Z = logsumexp of each position's logits (PaLM, Chowdhery et al. 2022,
    /// arXiv:2204.02311, λ_z = 10⁻⁴), which keeps the softmax normaliser near 1.
    /// </summary>
    /// <exception cref="ArgumentException">targets does not have the shape of tokens.</exception>
    public Tensor Loss(Tensor tokens, Tensor targets, double zLossWeight = 0)
    {
        Guard.SameShape(tokens, targets, nameof(tokens), nameof(targets));
        Guard.NonNegative(zLossWeight, nameof(zLossWeight));
        var logits = forward(tokens).flatten(0, 1);
        var loss = nn.functional.cross_entropy(logits, targets.flatten());
        if (zLossWeight > 0) loss = loss + zLossWeight * logits.logsumexp(-1).square().mean();
        return loss;
    }

    void Initialise()
    {
        using var _ = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Math.Max(1, Config.Depth));
        var residual = new HashSet<IntPtr>(blocks.SelectMany(b => b.ResidualProjections).Select(l => l.weight!.Handle));
        foreach (var (name, p) in named_parameters())
        {
            if (p.dim() == 1) { if (name.EndsWith("bias", StringComparison.Ordinal)) p.zero_(); continue; }   // LayerNorm weights stay 1
            nn.init.normal_(p, 0, residual.Contains(p.Handle) ? residualStd : 0.02);
        }
    }
}
