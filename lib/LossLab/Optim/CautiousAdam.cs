using TorchSharp;
using TorchSharp.Modules;
using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Cautious Adam(W) (Liang et al., 2024, "Cautious Optimizers", arXiv:2411.16085): Adam's update u = m̂ / (√v̂ + ε)
/// is applied only where it agrees in sign with the current gradient, rescaled to keep its average size:
/// φ = 𝟙[u ⊙ g &gt; 0], θ ← θ − η·(u ⊙ φ / max(mean(φ), 10⁻³) + λ·θ) (AdamW, decoupled λ); with
/// <c>decoupledWeightDecay: false</c> (Adam) λ·θ is added to g before the moments instead.</summary>
/// <remarks>mean(φ) is taken per parameter tensor and floored at 10⁻³, as in the authors' reference code.</remarks>
public sealed class CautiousAdam : ElementwiseOptimizer
{
    readonly bool decoupled;

    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ (0.9).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    /// <param name="weightDecay">λ.</param>
    /// <param name="decoupledWeightDecay">true: AdamW's decoupled decay; false: Adam's L2 added to the gradient.</param>
    public CautiousAdam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = true)
        : base(OneGroup(parameters), new Options
        {
            LearningRate = learningRate, Beta1 = Beta(beta1, nameof(beta1)), Beta2 = Beta(beta2, nameof(beta2)),
            Epsilon = Guard.Positive(epsilon, nameof(epsilon)), WeightDecay = weightDecay,
        }) => decoupled = decoupledWeightDecay;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, State state, Options options)
    {
        var lambda = options.WeightDecay!.Value;
        if (!decoupled && lambda != 0)
        {
            using var l2 = lambda.ToScalar();
            grad = grad.add(parameter, alpha: l2);
        }
        var u = AdamMoments.Direction(grad, state, options);
        var mask = u.mul(grad).gt_(TorchScalars.Zero).to_type(u.dtype);
        using var floor = 1e-3.ToScalar();
        var scale = mask.mean().clamp_min_(floor);
        if (decoupled) DecayWeights(parameter, options);
        AddScaled(parameter, u.mul_(mask).div_(scale), -options.LearningRate!.Value);
    }
}
