using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Spectral regulariser for continual learning (Lewandowski et al., 2024, "Learning Continually by Spectral
/// Regularization", arXiv:2406.06811): R_σ = Σ_l (σ_max(W_l)^k − 1)² over the weight matrices W_l, keeping each layer's
/// largest singular value near 1 as at a good initialisation. Paper: k = 2. Add λ·R_σ to the loss.</summary>
/// <param name="power">k ≥ 1.</param>
public sealed class SpectralRegularizer(int power = 2)
{
    /// <summary>k.</summary>
    public int Power { get; } = power >= 1 ? power : throw new ArgumentOutOfRangeException(nameof(power), power, "k must be at least 1.");

    /// <summary>R_σ over the 2-D parameters of <paramref name="parameters"/> (others, such as biases, are skipped); a
    /// differentiable scalar, 0 (with graph) when there is no matrix.</summary>
    public Tensor Penalty(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor? total = null;
        foreach (var w in parameters.Where(p => p.dim() == 2))
        {
            var top = torch.linalg.svdvals(w)[0];
            var term = (top.pow(Power) - 1).square();
            total = total is null ? term : total + term;
        }
        return total ?? torch.zeros(1).squeeze();
    }
}
