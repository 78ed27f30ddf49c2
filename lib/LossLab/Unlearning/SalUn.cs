using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// SalUn (Fan et al. 2024, "SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency", arXiv:2310.12508):
/// random labelling (<see cref="UnlearningObjectives.RandomLabels"/>: CE to uniform random labels, re-drawn for every forget
/// batch as in SalUn's <c>RL.py</c>, on D_f plus CE on D_r) restricted
/// to the salient weights, m = 1[|∇θ ℓ_f(θ₀)| in the top fraction], θ ← θ₀ + m ⊙ Δθ: gradients are masked and
/// masked-out weights stay at θ₀ (<see cref="MaskedUpdate"/>).
/// </summary>
public static class SalUn
{
    /// <summary>Builds the method for <paramref name="model"/> in its original state: computes the saliency mask on
    /// <paramref name="forget"/> (the caller disposes the returned mask after the run).</summary>
    /// <param name="model">The original model θ₀.</param>
    /// <param name="forget">D_f.</param>
    /// <param name="numClasses">C, for the random labels.</param>
    /// <param name="options">The budget and optimizer settings.</param>
    /// <param name="fraction">The kept fraction (SalUn's README: 0.5).</param>
    /// <param name="seed">Seed of the random labels.</param>
    public static (UnlearningMethod Method, ParameterMask Mask) Create(nn.Module<Tensor, Tensor> model, LabeledTensors forget,
        int numClasses, UnlearningOptions options, double fraction = 0.5, long seed = 0)
    {
        var mask = SaliencyMask.Compute(model, forget, fraction);
        var method = new UnlearningMethod("SalUn", UnlearningObjectives.RandomLabels(numClasses, seed), options, [new MaskedUpdate(mask)]);
        return (method, mask);
    }
}
