namespace LossLab.Models;

/// <summary>The shape of a <see cref="TransformerLm"/>.</summary>
/// <param name="Vocabulary">The number of token ids V.</param>
/// <param name="Context">The longest sequence T the model reads (learned position embeddings).</param>
/// <param name="Width">The model width d (d ≤ 128 keeps it CPU-sized).</param>
/// <param name="Depth">The number of blocks L.</param>
/// <param name="Heads">The number of attention heads; must divide d.</param>
/// <param name="MlpWidth">The hidden width f of each block's MLP; 0 means 4d.</param>
/// <param name="QkNorm">Layer-normalise queries and keys per head before the dot product (Dehghani et al. 2023,
/// arXiv:2302.05442; Wortsman et al. 2023, arXiv:2309.14322), which bounds attention-logit growth.</param>
public sealed record TransformerConfig(int Vocabulary, int Context, int Width = 64, int Depth = 2, int Heads = 4,
    int MlpWidth = 0, bool QkNorm = false)
{
    /// <summary>The MLP width actually used, f.</summary>
    public int EffectiveMlpWidth => MlpWidth > 0 ? MlpWidth : 4 * Width;

    /// <summary>The width of one head, d / heads.</summary>
    public int HeadWidth => Width / Heads;

    internal void Validate()
    {
        if (Vocabulary < 1) throw new ArgumentOutOfRangeException(nameof(Vocabulary), Vocabulary, "Vocabulary must be at least 1.");
        if (Context < 1) throw new ArgumentOutOfRangeException(nameof(Context), Context, "Context must be at least 1.");
        if (Width < 1) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be at least 1.");
        if (Depth < 0) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth must be non-negative.");
        if (Heads < 1 || Width % Heads != 0)
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"Heads must be positive and divide Width ({Width}).");
        if (MlpWidth < 0) throw new ArgumentOutOfRangeException(nameof(MlpWidth), MlpWidth, "MlpWidth must be non-negative (0 means 4·Width).");
    }
}
