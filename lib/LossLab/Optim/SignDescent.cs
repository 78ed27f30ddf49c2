using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Sign descent (signSGD; Bernstein et al., 2018, arXiv:1802.04434), optionally with momentum (Signum), the
/// sign-based method that Kunstner et al. (2024, arXiv:2402.19449) contrast with gradient descent under heavy-tailed class
/// imbalance. Update: m ← β·m + (1 − β)·g (β = 0: m = g), θ ← θ − η·(sign(m) + λ·θ).</summary>
public sealed class SignDescent : ElementwiseOptimizer
{
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="momentum">β ∈ [0, 1); 0 is plain sign descent.</param>
    /// <param name="weightDecay">λ, decoupled.</param>
    public SignDescent(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(momentum, nameof(momentum)), Beta2 = 0, Epsilon = 0, WeightDecay = weightDecay,
        })
    { }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        var beta = options.Beta1!.Value;
        Tensor direction = grad;
        if (beta > 0)
        {
            state.First ??= NewBuffer(parameter);
            Average(state.First, grad, beta);
            direction = state.First;
        }
        DecayWeights(parameter, options);
        AddScaled(parameter, direction.sign(), -options.LearningRate!.Value);
    }
}
