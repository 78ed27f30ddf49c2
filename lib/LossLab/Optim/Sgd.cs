using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Stochastic gradient descent with optional heavy-ball or Nesterov momentum and L2 weight decay, the update of
/// <c>torch.optim.SGD</c>: g ← g + λ·θ; b ← g on the first step, then b ← μ·b + (1 − τ)·g; d = g + μ·b (Nesterov) or b;
/// θ ← θ − η·d.</summary>
/// <remarks>Same operations and order as TorchSharp's <c>torch.optim.SGD</c>, so a run gives the same bits; every constant
/// passed to libtorch is a <see cref="Scalar"/> held until the update returns (see <see cref="AdamOptimizer"/>).</remarks>
public sealed class SgdOptimizer : ElementwiseOptimizer
{
    readonly double dampening;
    readonly bool nesterov;

    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="momentum">μ ∈ [0, 1) (0: plain gradient descent).</param>
    /// <param name="dampening">τ ∈ [0, 1] (0).</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient (0).</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0 and τ = 0).</param>
    public SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(momentum, nameof(momentum)), Beta2 = 0, Epsilon = 0, WeightDecay = weightDecay,
        })
    {
        if (dampening is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "dampening must lie in [0, 1].");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening = 0.", nameof(nesterov));
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        double mu = options.Beta1!.Value, lambda = options.WeightDecay!.Value;
        if (lambda != 0)
        {
            using var l2 = lambda.ToScalar();
            grad = grad.add(parameter, alpha: l2);
        }
        if (mu != 0)
        {
            using var momentum = mu.ToScalar();
            if (state.First is null) state.First = grad.clone().detach().DetachFromDisposeScope();
            else
            {
                using var kept = (1 - dampening).ToScalar();
                state.First.mul_(momentum).add_(grad, alpha: kept);
            }
            grad = nesterov ? grad.add(state.First, alpha: momentum) : state.First;
        }
        using var step = (-options.LearningRate!.Value).ToScalar();
        parameter.add_(grad, alpha: step);
    }
}
