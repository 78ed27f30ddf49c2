using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Lion, EvoLved Sign Momentum (Chen et al., 2023, arXiv:2302.06675):
/// c = β₁·m + (1 − β₁)·g, θ ← θ − η·(sign(c) + λ·θ), m ← β₂·m + (1 − β₂)·g.
/// Paper defaults β₁ = 0.9, β₂ = 0.99, with η 3–10× smaller and λ 3–10× larger than AdamW's.</summary>
public sealed class Lion : ElementwiseOptimizer
{
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η (paper: 3–10× below AdamW's).</param>
    /// <param name="beta1">β₁, interpolation for the update direction (paper 0.9).</param>
    /// <param name="beta2">β₂, decay of the momentum (paper 0.99).</param>
    /// <param name="weightDecay">λ, decoupled.</param>
    public Lion(IEnumerable<Parameter> parameters, double learningRate = 1e-4, double beta1 = 0.9, double beta2 = 0.99, double weightDecay = 0)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(beta1, nameof(beta1)), Beta2 = Beta(beta2, nameof(beta2)), Epsilon = 0,
            WeightDecay = weightDecay,
        })
    { }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        double b1 = options.Beta1!.Value, b2 = options.Beta2!.Value;
        state.First ??= NewBuffer(parameter);
        var m = state.First;
        var c = m.clone();
        Average(c, grad, b1);
        DecayWeights(parameter, options);
        AddScaled(parameter, c.sign_(), -options.LearningRate!.Value);
        Average(m, grad, b2);
    }
}
