using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Rank measures of a matrix (a weight matrix, or a batch of features (B, D)) from its singular values
/// σ₁ ≥ σ₂ ≥ … ≥ 0, computed in float64.</summary>
public static class Ranks
{
    /// <summary>Effective rank (Roy &amp; Vetterli, 2007, EUSIPCO): exp(−Σ pᵢ log pᵢ) with pᵢ = σᵢ/Σⱼσⱼ; between 1 (one
    /// non-zero singular value) and min(m, n) (all equal). Used for feature rank in loss-of-plasticity studies
    /// (Dohare et al., 2024, arXiv:2306.13812). A zero matrix has effective rank 0.</summary>
    public static double Effective(Tensor matrix)
    {
        var s = SingularValues(matrix, nameof(matrix));
        var total = s.Sum();
        if (total == 0) return 0;
        var entropy = 0.0;
        foreach (var x in s)
        {
            var p = x / total;
            if (p > 0) entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    /// <summary>Stable rank ‖W‖²_F / ‖W‖²₂ = Σσᵢ² / σ₁² (Rudelson &amp; Vershynin, 2007); 0 for a zero matrix.</summary>
    public static double Stable(Tensor matrix)
    {
        var s = SingularValues(matrix, nameof(matrix));
        return s[0] == 0 ? 0 : s.Sum(x => x * x) / (s[0] * s[0]);
    }

    /// <summary>srank_δ (Kumar et al., 2021, arXiv:2010.14498): the smallest k with Σ_{i≤k} σᵢ ≥ (1 − δ)·Σᵢ σᵢ; 0 for a zero
    /// matrix. Paper: δ = 0.01.</summary>
    public static int Approximate(Tensor matrix, double delta = 0.01)
    {
        if (delta is not (>= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must lie in [0, 1).");
        var s = SingularValues(matrix, nameof(matrix));
        var total = s.Sum();
        if (total == 0) return 0;
        double cumulative = 0;
        for (var k = 0; k < s.Length; k++)
        {
            cumulative += s[k];
            if (cumulative >= (1 - delta) * total * (1 - 1e-12)) return k + 1;
        }
        return s.Length;
    }

    /// <summary>Singular values in descending order, in float64.</summary>
    public static double[] SingularValues(Tensor matrix, string name = "matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        Guard.Rank(matrix, 2, name);
        Guard.Floating(matrix, name);
        if (matrix.numel() == 0) throw new ArgumentException($"{name} must not be empty; got shape {Guard.Shape(matrix)}.", name);
        using var _ = torch.no_grad();
        using var m = matrix.detach().to_type(ScalarType.Float64).cpu();
        using var s = torch.linalg.svdvals(m);
        return s.data<double>().ToArray();
    }
}
