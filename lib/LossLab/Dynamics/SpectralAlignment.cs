using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Spectral alignment ("Spectral Alignment as Predictor of Loss Explosion in Neural Network
/// Training"): for a linear layer with weight W (out × in) and a batch of its inputs x_b, the cosines
/// a_b = ⟨x_b, v₁⟩ / ‖x_b‖ with v₁ the top right singular vector of W. Before a loss explosion the signs of a_b stop being
/// mixed; <see cref="SignDiversity"/> measures how mixed they are.</summary>
public static class SpectralAlignment
{
    /// <summary>The cosines a_b (B values) of the inputs (B, in) with W's top right singular vector; 0 for a zero input.</summary>
    public static double[] Cosines(Tensor inputs, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weight);
        Guard.Rank(inputs, 2, nameof(inputs));
        Guard.Rank(weight, 2, nameof(weight));
        Guard.Floating(inputs, nameof(inputs));
        Guard.Floating(weight, nameof(weight));
        if (inputs.shape[1] != weight.shape[1])
            throw new ArgumentException(
                $"inputs must have weight's input size: weight is {Guard.Shape(weight)}, inputs is {Guard.Shape(inputs)}.", nameof(inputs));
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var w = weight.detach().to_type(ScalarType.Float64).cpu();
        var (_, _, vh) = torch.linalg.svd(w, fullMatrices: false);
        var v1 = vh[0];
        var x = inputs.detach().to_type(ScalarType.Float64).cpu();
        var norms = x.norm(1, keepdim: false);
        var dots = x.matmul(v1);
        var cos = torch.where(norms > 0, dots / norms.clamp_min(1e-300), torch.zeros_like(dots));
        return cos.data<double>().ToArray();
    }

    /// <summary>Sign diversity 1 − |2·f − 1|, f the fraction of positive cosines (zeros count half): 1 when signs are
    /// evenly mixed, 0 when all agree. Invariant to the arbitrary sign of v₁.</summary>
    public static double SignDiversity(IReadOnlyList<double> cosines)
    {
        ArgumentNullException.ThrowIfNull(cosines);
        if (cosines.Count == 0) throw new ArgumentException("cosines must not be empty.", nameof(cosines));
        var f = cosines.Sum(c => c > 0 ? 1.0 : c == 0 ? 0.5 : 0.0) / cosines.Count;
        return 1 - Math.Abs(2 * f - 1);
    }
}
