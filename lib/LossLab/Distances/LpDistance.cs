using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Distances;

/// <summary>Minkowski distance raised to a power: d(x, y) = ‖x − y‖_p^power, on L2-normalised rows by default (as
/// pytorch-metric-learning's <c>LpDistance(normalize_embeddings=True, p=2, power=1)</c>). p = 2, power = 2 is the squared
/// Euclidean distance, computed as ‖x‖² + ‖y‖² − 2xᵀy clamped at 0 (smooth at zero distance).</summary>
public sealed class LpDistance : IDistance
{
    /// <param name="p">The norm's order p ≥ 1 (default 2).</param>
    /// <param name="power">Power applied to the distance, positive (default 1; 2 gives the squared Euclidean distance for p = 2).</param>
    /// <param name="normalize">L2-normalise rows first (default true).</param>
    public LpDistance(double p = 2, double power = 1, bool normalize = true)
    {
        P = p >= 1 && double.IsFinite(p) ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "p must be finite and at least 1.");
        Power = Guard.Positive(power, nameof(power));
        Normalize = normalize;
    }

    /// <summary>The norm's order.</summary>
    public double P { get; }
    /// <summary>The power applied to the distance.</summary>
    public double Power { get; }
    /// <summary>Whether rows are L2-normalised first.</summary>
    public bool Normalize { get; }

    /// <inheritdoc />
    public bool IsSimilarity => false;

    /// <summary>The squared Euclidean distance on raw (un-normalised) rows.</summary>
    public static LpDistance SquaredEuclidean(bool normalize = false) => new(2, 2, normalize);

    /// <inheritdoc />
    public Tensor Pairwise(Tensor query, Tensor reference)
    {
        var q = Prepare(query);
        var r = ReferenceEquals(query, reference) ? q : Prepare(reference);
        if (P == 2 && Power == 2)
        {
            var qq = q.pow(2).sum(1, keepdim: true);
            var rr = r.pow(2).sum(1).unsqueeze(0);
            return (qq + rr - 2 * q.matmul(r.t())).clamp_min(0);
        }
        var d = torch.cdist(q, r, P);
        return Power == 1 ? d : d.pow(Power);
    }

    /// <inheritdoc />
    public Tensor Paired(Tensor a, Tensor b)
    {
        var diff = Prepare(a) - Prepare(b);
        if (P == 2 && Power == 2) return diff.pow(2).sum(1);
        var d = diff.abs().pow(P).sum(1).pow(1.0 / P);
        return Power == 1 ? d : d.pow(Power);
    }

    Tensor Prepare(Tensor x) => Normalize ? nn.functional.normalize(x, p: 2, dim: 1) : x;
}
