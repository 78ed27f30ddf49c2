using LossLab.Distances;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>InfoNCE between paired queries and keys (Oord et al., arXiv:1807.03748; symmetric form as in CLIP, Radford et
/// al., arXiv:2103.00020): row i of <c>queries</c> matches row i of <c>keys</c>, the other keys are its negatives:
/// ℓ_i = −log[e^{s(q_i, k_i)/τ} / Σ_j e^{s(q_i, k_j)/τ}], s = cosine similarity, averaged over rows; the symmetric form
/// averages it with the keys-to-queries direction. τ = 0.07.</summary>
public sealed class InfoNceLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    /// <param name="temperature">τ &gt; 0 (0.07).</param>
    /// <param name="symmetric">Average both directions (CLIP) instead of queries → keys only.</param>
    public InfoNceLoss(double temperature = 0.07, bool symmetric = false) : base(nameof(InfoNceLoss))
    {
        Temperature = Guard.Positive(temperature, nameof(temperature));
        Symmetric = symmetric;
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }
    /// <summary>Whether both directions are averaged.</summary>
    public bool Symmetric { get; }

    /// <summary>The loss of (N, D) <paramref name="queries"/> against their (N, D) <paramref name="keys"/>.</summary>
    public override Tensor forward(Tensor queries, Tensor keys) => PairLossFunctions.InfoNce(queries, keys, Temperature, Symmetric);
}

public static partial class PairLossFunctions
{
    /// <summary>InfoNCE of paired rows (see <see cref="InfoNceLoss"/>).</summary>
    public static Tensor InfoNce(Tensor queries, Tensor keys, double temperature = 0.07, bool symmetric = false)
    {
        Guard.Rank(queries, 2, nameof(queries));
        Guard.Floating(queries, nameof(queries));
        Guard.SameShape(queries, keys, nameof(queries), nameof(keys));
        Guard.Floating(keys, nameof(keys));
        var logits = new CosineSimilarity().Pairwise(queries, keys) / temperature;
        var target = torch.arange(queries.shape[0], dtype: ScalarType.Int64, device: queries.device);
        var forward = nn.functional.cross_entropy(logits, target);
        return symmetric ? (forward + nn.functional.cross_entropy(logits.t(), target)) / 2 : forward;
    }
}
