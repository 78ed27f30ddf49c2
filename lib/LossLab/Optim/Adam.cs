using TorchSharp;
using TorchSharp.Modules;
using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Adam (Kingma &amp; Ba, 2015, arXiv:1412.6980) with optional L2 weight decay added to the gradient, the update
/// of <c>torch.optim.Adam</c>: g ← g + λ·θ, m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε). <see cref="AdamWOptimizer"/> decays the weights instead (decoupled).</summary>
/// <remarks>Written with the same operations in the same order as TorchSharp's <c>torch.optim.Adam</c>, so a run gives the
/// same bits; unlike it, every constant passed to libtorch is a <see cref="Scalar"/> held until the update returns.
/// TorchSharp turns a <c>double</c> argument into a temporary scalar that the garbage collector may free while libtorch
/// still reads it (a collection triggered by another thread during the native call), which fails with
/// "Expected false to be true … toFloat" or reads a wrong value; an optimizer step is the hottest such call site.</remarks>
public class AdamOptimizer : ElementwiseOptimizer
{
    readonly bool decoupled;

    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η (1e-3).</param>
    /// <param name="beta1">β₁ (0.9).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient (0).</param>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false) { }

    /// <summary>Adam with the weight decay applied as <paramref name="decoupled"/> says.</summary>
    protected AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
        double weightDecay, bool decoupled)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(beta1, nameof(beta1)), Beta2 = Beta(beta2, nameof(beta2)),
            Epsilon = Guard.NonNegative(epsilon, nameof(epsilon)), WeightDecay = weightDecay,
        }) => this.decoupled = decoupled;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        double lr = options.LearningRate!.Value, b1 = options.Beta1!.Value, b2 = options.Beta2!.Value;
        double lambda = options.WeightDecay!.Value;
        double c1 = 1 - Math.Pow(b1, state.Step), c2 = 1 - Math.Pow(b2, state.Step);
        if (decoupled) DecayWeights(parameter, options);
        else if (lambda != 0)
        {
            using var l2 = lambda.ToScalar();
            grad = grad.add(parameter, alpha: l2);
        }
        state.First ??= NewBuffer(parameter);
        state.Second ??= NewBuffer(parameter);
        using var beta1 = b1.ToScalar();
        using var rest1 = (1 - b1).ToScalar();
        using var beta2 = b2.ToScalar();
        using var rest2 = (1 - b2).ToScalar();
        using var root2 = Math.Sqrt(c2).ToScalar();
        using var eps = options.Epsilon!.Value.ToScalar();
        using var stepSize = (-(lr / c1)).ToScalar();
        state.First.mul_(beta1).add_(grad, alpha: rest1);
        state.Second.mul_(beta2).addcmul_(grad, grad, value: rest2);
        var denominator = state.Second.sqrt().div_(root2).add_(eps, TorchScalars.One);
        parameter.addcdiv_(state.First, denominator, value: stepSize);
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter, 2019, arXiv:1711.05101): Adam with decoupled weight decay, θ ← θ·(1 − η·λ)
/// before the Adam update, the update of <c>torch.optim.AdamW</c> (λ defaults to 0.01 as there).</summary>
/// <remarks>Same operations and order as TorchSharp's <c>torch.optim.AdamW</c>; constants held as in <see cref="AdamOptimizer"/>.</remarks>
public sealed class AdamWOptimizer : AdamOptimizer
{
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η (1e-3).</param>
    /// <param name="beta1">β₁ (0.9).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    /// <param name="weightDecay">λ, decoupled (0.01).</param>
    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true) { }
}
