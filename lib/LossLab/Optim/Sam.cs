using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace LossLab.Optim;

/// <summary>Sharpness-Aware Minimization (Foret et al., 2021, arXiv:2010.01412) and adaptive SAM (ASAM; Kwon et al., 2021,
/// arXiv:2102.11600) as a wrapper around any base optimizer. Each step takes two forward–backward passes through a closure:
/// the gradient g at w, the ascent ε̂ = ρ·T²·g / ‖T·g‖₂ (SAM: T = I, so ‖ε̂‖ = ρ; ASAM: T = diag|w|, so ‖T⁻¹ε̂‖ = ρ), the
/// gradient at w + ε̂, then w is restored and the base optimizer steps with that gradient. Paper: ρ = 0.05 (SAM), larger with
/// label noise; ρ = 0.5–2 for ASAM.</summary>
/// <remarks>Two ways to drive it. (1) <c>step(closure)</c>: the closure zeroes the gradients, runs forward and backward and
/// returns the loss; <c>step</c> returns the loss at w (the first pass). (2) In a loop that calls backward and then
/// <c>step()</c> without a closure (LossLab's <c>Trainer</c>), wrap the objective with <see cref="SamObjective"/>: it takes
/// the first pass and the ascent inside the loss, so the loop's backward gives the gradient at w + ε̂ and <c>step()</c>
/// restores w and steps. Learning rates are those of the base optimizer's <c>ParamGroups</c>, which this wrapper exposes.
/// <see cref="FirstStep"/> and <see cref="SecondStep"/> drive the two halves by hand.</remarks>
public sealed class Sam : OptimizerHelper
{
    readonly Optimizer inner;
    readonly Parameter[] perturbed;
    readonly List<(Parameter Parameter, Tensor Original)> saved = [];

    /// <summary>ρ, the radius of the neighbourhood.</summary>
    public double Rho { get; }

    /// <summary>Whether the perturbation is scale-adaptive (ASAM).</summary>
    public bool Adaptive { get; }

    /// <summary>The optimizer applied with the gradient at the perturbed point.</summary>
    public Optimizer BaseOptimizer => inner;

    /// <param name="parameters">The parameters perturbed (usually those of the base optimizer).</param>
    /// <param name="baseOptimizer">The optimizer that takes the step (SGD with momentum in the paper).</param>
    /// <param name="rho">ρ &gt; 0 (paper 0.05).</param>
    /// <param name="adaptive">true for ASAM.</param>
    public Sam(IEnumerable<Parameter> parameters, Optimizer baseOptimizer, double rho = 0.05, bool adaptive = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        inner = baseOptimizer ?? throw new ArgumentNullException(nameof(baseOptimizer));
        perturbed = parameters.ToArray();
        Rho = Guard.Positive(rho, nameof(rho));
        Adaptive = adaptive;
        _parameter_groups = new List<ParamGroup>();
    }

    /// <inheritdoc/>
    public override IEnumerable<ILearningRateController> ParamGroups => inner.ParamGroups;

    /// <inheritdoc/>
    public override IEnumerable<Parameter> parameters() => perturbed;

    /// <inheritdoc/>
    public override void zero_grad()
    {
        inner.zero_grad();
        foreach (var p in perturbed)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>Whether <see cref="FirstStep"/> has moved the weights to w + ε̂ and <see cref="SecondStep"/> is due.</summary>
    public bool IsPerturbed => saved.Count > 0;

    /// <summary>One SAM step: closure at w, ascent to w + ε̂, closure there, restore w, base step. Without a closure, after
    /// <see cref="FirstStep"/> (as <see cref="SamObjective"/> arranges), it is <see cref="SecondStep"/>.</summary>
    /// <param name="closure">Zeroes the gradients, runs forward and backward, returns the loss.</param>
    /// <returns>The loss at w, or null without a closure.</returns>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is null)
        {
            if (!IsPerturbed)
                throw new ArgumentNullException(nameof(closure),
                    "SAM needs a closure that zeroes the gradients, runs forward and backward and returns the loss, or a loss wrapped in SamObjective.");
            SecondStep();
            return null!;
        }
        Tensor loss;
        using (torch.enable_grad()) loss = closure();
        FirstStep();
        using (torch.enable_grad()) closure().Dispose();
        SecondStep();
        return loss;
    }

    /// <summary>Moves each parameter to w + ε̂ using the gradients present now, and remembers w.</summary>
    /// <returns>‖T·g‖₂, the norm that ε̂ is scaled by (0 when there is no gradient: no move).</returns>
    public double FirstStep()
    {
        if (IsPerturbed) throw new InvalidOperationException("FirstStep was called twice without SecondStep.");
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var withGrad = perturbed.Where(p => p.grad is not null).ToArray();
        double squared = 0;
        foreach (var p in withGrad)
        {
            var tg = Adaptive ? p.grad!.mul(p.abs()) : p.grad!;
            squared += tg.square().sum().ToDouble();
        }
        var norm = Math.Sqrt(squared);
        var scale = Rho / (norm + 1e-12);
        foreach (var p in withGrad)
        {
            saved.Add((p, p.detach().clone().DetachFromDisposeScope()));
            var e = Adaptive ? p.grad!.mul(p.square()) : p.grad!;
            p.add_(e, alpha: scale);
        }
        return norm;
    }

    /// <summary>Restores w and lets the base optimizer step with the gradients present now (those at w + ε̂).</summary>
    public void SecondStep()
    {
        using (torch.no_grad())
        {
            foreach (var (p, original) in saved)
            {
                p.copy_(original);
                original.Dispose();
            }
        }
        saved.Clear();
        inner.step();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        foreach (var (_, original) in saved) original.Dispose();
        saved.Clear();
    }
}
