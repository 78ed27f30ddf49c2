using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Label-distribution-aware margin loss (Cao, Wei, Gaidon, Arechiga, Ma, NeurIPS 2019, arXiv:1906.07413):
/// ℓ = CE(s·(z − Δ_y e_y), y) with per-class margins Δ_j = C/n_j^{1/4}, C chosen so that max_j Δ_j = max_m.
/// The logits z are meant to be cosines (a <see cref="NormedLinear"/> head). Optional class weights enter the
/// cross-entropy as in torch (this is how DRW is applied: set <see cref="ClassWeights"/> from a
/// <see cref="DeferredReweighting"/> schedule).
/// </summary>
/// <remarks>As in the reference code the scale multiplies the margin-shifted logit, s·(z_y − Δ_y), not z_y·s − Δ_y.</remarks>
public sealed class LdamLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[] margins;
    double[]? classWeights;

    /// <summary>Creates the loss.</summary>
    /// <param name="classCounts">n_j &gt; 0, training samples per class.</param>
    /// <param name="maxMargin">max_m, the largest margin (paper: 0.5; 0.3 for iNaturalist).</param>
    /// <param name="scale">s, the logit scale (paper: 30).</param>
    /// <param name="classWeights">Optional class weights (DRW), one per class.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public LdamLoss(IReadOnlyList<long> classCounts, double maxMargin = 0.5, double scale = 30, double[]? classWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(LdamLoss))
    {
        margins = Margins(classCounts, maxMargin);
        MaxMargin = maxMargin;
        Scale = Guard.Positive(scale, nameof(scale));
        ClassWeights = classWeights;
        Reduction = reduction;
    }

    /// <summary>Δ_j = max_m·n_j^{−1/4}/max_k n_k^{−1/4}.</summary>
    public static double[] Margins(IReadOnlyList<long> classCounts, double maxMargin = 0.5)
    {
        var counts = LossReduction.CheckCounts(classCounts);
        Guard.Positive(maxMargin, nameof(maxMargin));
        var raw = counts.Select(n => 1 / Math.Sqrt(Math.Sqrt(n))).ToArray();
        double max = raw.Max();
        return raw.Select(m => m * (maxMargin / max)).ToArray();
    }

    /// <summary>The per-class margins Δ_j.</summary>
    public double[] ClassMargins => (double[])margins.Clone();

    /// <summary>max_m.</summary>
    public double MaxMargin { get; }

    /// <summary>s.</summary>
    public double Scale { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <summary>Class weights of the cross-entropy (null: none); DRW sets them late in training.</summary>
    public double[]? ClassWeights
    {
        get => classWeights is null ? null : (double[])classWeights.Clone();
        set => classWeights = LossReduction.CheckClassArray(value, nameof(ClassWeights), margins.Length);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        if (input.shape[1] != margins.Length)
            throw new ArgumentException($"input has {input.shape[1]} classes but the loss was built for {margins.Length} (shape {Guard.Shape(input)}).", nameof(input));
        var m = LossReduction.ToTensor(margins, input);
        var w = classWeights is null ? null : LossReduction.ToTensor(classWeights, input);
        return LossFunctions.Ldam(input, target, m, Scale, w, sampleWeights, Reduction);
    }
}

public static partial class LossFunctions
{
    /// <summary>LDAM: CE(s·(z − Δ_y e_y), y, weights); see <see cref="LdamLoss"/>.</summary>
    /// <param name="input">Logits (cosines) z, (N, C).</param>
    /// <param name="target">Labels y, (N).</param>
    /// <param name="margins">Δ, (C) (see <see cref="LdamLoss.Margins"/>).</param>
    /// <param name="scale">s.</param>
    /// <param name="classWeights">Optional (C) class weights.</param>
    /// <param name="sampleWeights">Optional (N) sample weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Ldam(Tensor input, Tensor target, Tensor margins, double scale = 30, Tensor? classWeights = null,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        LossReduction.CheckClassWeights(margins, input.shape[1], nameof(margins));
        Guard.Positive(scale, nameof(scale));
        var index = target.to_type(ScalarType.Int64);
        var shift = torch.nn.functional.one_hot(index, input.shape[1]).to(input.dtype) * margins.gather(0, index).unsqueeze(1);
        return CrossEntropy(scale * (input - shift), target, classWeights, sampleWeights, 0, reduction);
    }
}
