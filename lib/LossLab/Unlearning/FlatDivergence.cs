using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// FLAT's forget-data-only objective (Wang et al. 2025, "LLM Unlearning via Loss Adjustment with Only Forget Data",
/// arXiv:2410.11143), classification analogue. FLAT maximises the variational f-divergence between the template answer
/// and the forget answer, E[g*(P_e)] − E[f*(g*(P_f))]; as a loss to minimise, per sample
/// ℓᵢ = −Σ_v t_v·g*(pθ(v|xᵢ)) + f*(g*(pθ(yᵢ|xᵢ))), with t the template distribution over classes
/// (a reserved "unknown" class as one-hot, or the uniform distribution).
/// </summary>
/// <remarks>With the KL or Pearson divergence g* is the identity, so a uniform template contributes the constant 1/C
/// and only the forget term acts; JS and TV make the template term depend on the model.</remarks>
public sealed class FlatDivergence : IForgetTerm
{
    readonly double[]? template;

    /// <param name="divergence">f (the paper's default for classification here: KL).</param>
    /// <param name="template">t, a probability vector over the C classes; null means uniform.</param>
    public FlatDivergence(FDivergence divergence = FDivergence.KullbackLeibler, double[]? template = null)
    {
        if (!Enum.IsDefined(divergence)) throw new ArgumentOutOfRangeException(nameof(divergence), divergence, "Unknown f-divergence.");
        if (template is not null)
        {
            if (template.Length < 2 || template.Any(v => v < 0 || !double.IsFinite(v)) || Math.Abs(template.Sum() - 1) > 1e-6)
                throw new ArgumentException($"template must be a probability vector over at least 2 classes (non-negative, summing to 1); got [{string.Join(", ", template)}].", nameof(template));
            this.template = (double[])template.Clone();
        }
        Divergence = divergence;
    }

    /// <summary>f.</summary>
    public FDivergence Divergence { get; }

    /// <inheritdoc/>
    public string Name => $"FLAT-{Divergence}";

    /// <summary>g*(v), the output activation.</summary>
    public static Tensor Activation(FDivergence f, Tensor v) => f switch
    {
        FDivergence.KullbackLeibler or FDivergence.Pearson => v,
        FDivergence.JensenShannon => Math.Log(2) - nn.functional.softplus(-v),
        FDivergence.TotalVariation => 0.5 * v.tanh(),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown f-divergence."),
    };

    /// <summary>f*(t), the Fenchel conjugate.</summary>
    public static Tensor Conjugate(FDivergence f, Tensor t) => f switch
    {
        FDivergence.KullbackLeibler => (t - 1).exp(),
        FDivergence.JensenShannon => -(2 - t.exp()).log(),
        FDivergence.Pearson => t * t / 4 + t,
        FDivergence.TotalVariation => t,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown f-divergence."),
    };

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        long c = logits.shape[1];
        if (template is not null && template.Length != c)
            throw new ArgumentException($"template has {template.Length} classes but logits have {c}: shape {Guard.Shape(logits)}.", nameof(logits));
        var p = nn.functional.softmax(logits, 1);
        var t = template is null
            ? full(new long[] { c }, 1.0 / c, dtype: p.dtype, device: p.device)
            : tensor(template, dtype: p.dtype, device: p.device);
        var templateTerm = (Activation(Divergence, p) * t).sum(1);
        var forgetTerm = Conjugate(Divergence, Activation(Divergence, p.gather(1, labels.unsqueeze(1)).squeeze(1)));
        return forgetTerm - templateTerm;
    }
}
