using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Grams, Gradient Descent with Adaptive Momentum Scaling (Cao et al., 2024, arXiv:2412.17107): the direction
/// comes from the current gradient's sign, the magnitude from Adam's update.
/// u = m̂ / (√v̂ + ε) (Adam's moments), θ ← θ − η·(sign(g) ⊙ |u| + λ·θ).</summary>
public sealed class Grams : ElementwiseOptimizer
{
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ (0.9).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    /// <param name="weightDecay">λ, decoupled.</param>
    public Grams(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(beta1, nameof(beta1)), Beta2 = Beta(beta2, nameof(beta2)),
            Epsilon = Guard.Positive(epsilon, nameof(epsilon)), WeightDecay = weightDecay,
        })
    { }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        var u = AdamMoments.Direction(grad, state, options);
        DecayWeights(parameter, options);
        AddScaled(parameter, u.abs_().mul_(grad.sign()), -options.LearningRate!.Value);
    }
}
