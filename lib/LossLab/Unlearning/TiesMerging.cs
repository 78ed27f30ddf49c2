using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// TIES merging of task vectors (Yadav et al. 2023, "TIES-Merging: Resolving Interference When Merging Models",
/// arXiv:2306.01708), used for unlearning by merging an over- and an under-forgetting model (ZJUKLAB at SemEval-2025
/// Task 4). For task vectors τ_1 … τ_n, each flattened over all its entries:
/// (1) trim: keep the entries of τ_t whose magnitude is at least the k-th largest, k = ⌈keep·d⌉ (ties kept), zero the rest;
/// (2) elect: γ = sign(Σ_t τ̂_t) per entry; (3) disjoint mean: τ_m = Σ_{t: sign τ̂_t = γ} τ̂_t / |{t: sign τ̂_t = γ}|
/// (0 where no task agrees). The merged model is θ₀ + λ·τ_m (<see cref="TaskVectors.Apply"/>).
/// </summary>
public static class TiesMerging
{
    /// <summary>The merged task vector τ_m.</summary>
    /// <param name="vectors">τ_1 … τ_n, with the same names and shapes.</param>
    /// <param name="keep">The fraction of entries each task vector keeps (TIES default 0.2), in (0, 1].</param>
    public static Dictionary<string, Tensor> Merge(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> vectors, double keep = 0.2)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0) throw new ArgumentException("vectors must hold at least one task vector.", nameof(vectors));
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must lie in (0, 1].");
        for (int i = 1; i < vectors.Count; i++) TaskVectors.CheckAligned(vectors[0], vectors[i], "vectors[0]", $"vectors[{i}]");
        var names = vectors[0].Keys.ToArray();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = stack(vectors.Select(v => cat(names.Select(n => v[n].detach().flatten().to_type(ScalarType.Float64).cpu()).ToArray())).ToArray());
        var trimmed = Trim(flat, keep);
        var elected = trimmed.sum(dim: 0).sign();
        var agree = (trimmed.sign() == elected.unsqueeze(0)) & (trimmed != 0);
        var agreeF = agree.to_type(ScalarType.Float64);
        var count = agreeF.sum(dim: 0);
        var merged = (trimmed * agreeF).sum(dim: 0) / count.clamp_min(1);
        var result = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var name in names)
        {
            var like = vectors[0][name];
            long m = like.numel();
            result[name] = merged.narrow(0, offset, m).reshape(like.shape).to(like.dtype, like.device).MoveToOuterDisposeScope().DetachFromDisposeScope();
            offset += m;
        }
        return result;
    }

    /// <summary>Step 1 on rows of (n, d): keep entries with |v| ≥ the ⌈keep·d⌉-th largest magnitude of their row.</summary>
    public static Tensor Trim(Tensor rows, double keep)
    {
        Guard.Rank(rows, 2, nameof(rows));
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must lie in (0, 1].");
        long d = rows.shape[1];
        if (d == 0) return rows.clone();
        long k = Math.Clamp((long)Math.Ceiling(keep * d - 1e-9), 1, d);
        var magnitude = rows.abs();
        var threshold = magnitude.topk((int)k, 1).values.narrow(1, k - 1, 1);
        return rows * (magnitude >= threshold).to_type(rows.dtype);
    }
}
