using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// ℓ1-sparse unlearning (Jia et al. 2023, "Model Sparsity Can Simplify Machine Unlearning", arXiv:2304.04934): an inner
/// objective (fine-tuning on D_r by default) plus γ_t·‖θ‖₁ over all trainable parameters, with γ_t = γ·(1 − t/T) decaying
/// linearly to 0 over the budget of T steps (as in the authors' code, by epochs there).
/// </summary>
public sealed class L1Sparse : IUnlearningObjective
{
    /// <param name="totalSteps">T, the budget over which γ decays.</param>
    /// <param name="gamma">γ (the authors' CIFAR-10 setting: 5e-4).</param>
    /// <param name="inner">The objective the penalty is added to; null means fine-tuning on D_r.</param>
    public L1Sparse(int totalSteps, double gamma = 5e-4, IUnlearningObjective? inner = null)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be ≥ 1.");
        TotalSteps = totalSteps;
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        Inner = inner ?? UnlearningObjectives.FineTune();
    }

    /// <summary>T.</summary>
    public int TotalSteps { get; }
    /// <summary>γ.</summary>
    public double Gamma { get; }
    /// <summary>The inner objective.</summary>
    public IUnlearningObjective Inner { get; }

    /// <inheritdoc/>
    public string Name => "l1-sparse";

    /// <summary>γ_t = γ·max(0, 1 − t/T).</summary>
    public double Strength(int step) => Gamma * Math.Max(0, 1 - (double)step / TotalSteps);

    /// <inheritdoc/>
    public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        var loss = Inner.Loss(model, batch);
        double g = Strength(batch.Step);
        if (g == 0) return loss;
        Tensor? l1 = null;
        foreach (var p in model.parameters())
        {
            if (!p.requires_grad) continue;
            var a = p.abs().sum();
            l1 = l1 is null ? a : l1 + a;
        }
        return l1 is null ? loss : loss + g * l1;
    }
}
