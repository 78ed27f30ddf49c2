using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Wasserstein regulariser toward the initial weight distribution (Lewandowski et al., 2024, "Learning Continually
/// by Spectral Regularization", arXiv:2406.06811): for each parameter tensor,
/// R_W2 = Σ_l ‖sort(θ_l) − sort(θ_l⁽⁰⁾)‖², the squared 2-Wasserstein distance between the empirical distributions of
/// current and initial values (times their count). Unlike L2-to-init it lets weights move as long as their distribution
/// stays. Add λ·R_W2 to the loss.</summary>
public sealed class WassersteinToInitRegularizer : IDisposable
{
    readonly Parameter[] parameters;
    readonly Tensor[] sortedInitial;

    /// <summary>Records sort(θ⁽⁰⁾) of <paramref name="parameters"/> now (call at initialisation).</summary>
    public WassersteinToInitRegularizer(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        using var _ = torch.no_grad();
        sortedInitial = this.parameters.Select(p => p.detach().flatten().sort().Values.clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>R_W2 of the current values; a differentiable scalar.</summary>
    public Tensor Penalty()
    {
        Tensor? total = null;
        for (var i = 0; i < parameters.Length; i++)
        {
            var term = (parameters[i].flatten().sort().Values - sortedInitial[i]).square().sum();
            total = total is null ? term : total + term;
        }
        return total ?? torch.zeros(1).squeeze();
    }

    /// <summary>Frees the recorded initial values.</summary>
    public void Dispose()
    {
        foreach (var t in sortedInitial) t.Dispose();
    }
}
