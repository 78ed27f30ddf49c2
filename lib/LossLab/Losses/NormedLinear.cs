using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Cosine classifier head: logits_ic = ⟨x_i/‖x_i‖, w_c/‖w_c‖⟩ ∈ [−1, 1], the <c>NormedLinear</c> layer LDAM-DRW uses
/// with <see cref="LdamLoss"/> (Cao et al., 2019, arXiv:1906.07413). No bias. The weight is (C, D), one row per class.
/// </summary>
public sealed class NormedLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>The class rows w_c, (C, D).</summary>
    public Parameter weight;

    /// <summary>Creates the head with rows drawn uniformly from [−1/√D, 1/√D] using <paramref name="generator"/>.</summary>
    public NormedLinear(int inFeatures, int numClasses, Generator? generator = null, Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base(nameof(NormedLinear))
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "inFeatures must be at least 1.");
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        double bound = 1 / Math.Sqrt(inFeatures);
        using var init = torch.rand(new long[] { numClasses, inFeatures }, dtype, generator: generator) * (2 * bound) - bound;
        weight = new Parameter(init.to(device ?? CPU));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        Guard.Rank(input, 2, nameof(input));
        if (input.shape[1] != weight.shape[1])
            throw new ArgumentException($"input must have {weight.shape[1]} features; got shape {Guard.Shape(input)}.", nameof(input));
        var x = nn.functional.normalize(input, p: 2, dim: 1);
        var w = nn.functional.normalize(weight, p: 2, dim: 1);
        return x.matmul(w.t());
    }
}
