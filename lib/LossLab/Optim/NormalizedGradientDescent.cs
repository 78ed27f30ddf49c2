using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Normalised gradient descent: steps of fixed length η along the gradient of the whole parameter group,
/// θ ← θ − η·(g / max(‖g‖₂, ε) + λ·θ), ‖g‖₂ the norm of the concatenated gradients of the group. It is the
/// normalised variant in Tyurin (2024, "From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent
/// with Large Step Sizes") and a control for gradient descent in Kunstner et al. (2024, arXiv:2402.19449).</summary>
public sealed class NormalizedGradientDescent : ElementwiseOptimizer
{
    /// <param name="parameters">The parameters to optimise (one group, one global norm).</param>
    /// <param name="learningRate">η, the length of each step.</param>
    /// <param name="epsilon">ε, floor of the norm (1e-12).</param>
    /// <param name="weightDecay">λ, decoupled.</param>
    public NormalizedGradientDescent(IEnumerable<Parameter> parameters, double learningRate, double epsilon = 1e-12, double weightDecay = 0)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = 0, Beta2 = 0, Epsilon = Guard.Positive(epsilon, nameof(epsilon)), WeightDecay = weightDecay,
        })
    { }

    /// <inheritdoc/>
    protected override void UpdateGroup(ParamGroup group, Options options)
    {
        var withGrad = group.Parameters.Where(p => p.grad is not null).ToArray();
        double squared = 0;
        foreach (var p in withGrad) squared += p.grad!.square().sum().ToDouble();
        var scale = options.LearningRate!.Value / Math.Max(Math.Sqrt(squared), options.Epsilon!.Value);
        foreach (var p in withGrad)
        {
            ((State)_state[p.Handle]).Step++;
            DecayWeights(p, options);
            AddScaled(p, p.grad!, -scale);
        }
    }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options) =>
        throw new InvalidOperationException("Normalised GD updates a whole group at once.");
}
