using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Cross-entropy with label smoothing (Szegedy et al., 2016, arXiv:1512.00567), class weights and per-sample weights,
/// with torch's <c>cross_entropy</c> semantics. For logits z (N, C), labels y, class weights w (default 1), smoothing ε:
/// ℓ_i = (1 − ε)·w_{y_i}·(−log p_{i,y_i}) + (ε/C)·Σ_k w_k·(−log p_{ik}), p = softmax(z). Mean reduction divides
/// Σ_i s_i·ℓ_i by Σ_i s_i·w_{y_i} (s = per-sample weights, default 1), exactly torch's normaliser when s = 1.
/// </summary>
public sealed class CrossEntropyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="classWeights">w, one non-negative weight per class (null: all 1). Settable later, e.g. by a DRW schedule.</param>
    /// <param name="labelSmoothing">ε in [0, 1] (0: none; Inception-v3 used 0.1).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public CrossEntropyLoss(double[]? classWeights = null, double labelSmoothing = 0.0, nn.Reduction reduction = nn.Reduction.Mean)
        : base(nameof(CrossEntropyLoss))
    {
        ClassWeights = classWeights;
        LabelSmoothing = Guard.InRange(labelSmoothing, 0, 1, nameof(labelSmoothing));
        Reduction = reduction;
    }

    double[]? classWeights;

    /// <summary>w, one weight per class, or null for none.</summary>
    public double[]? ClassWeights
    {
        get => classWeights is null ? null : (double[])classWeights.Clone();
        set => classWeights = LossReduction.CheckClassArray(value, nameof(ClassWeights));
    }

    /// <summary>ε.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        var w = classWeights is null ? null : CheckedWeights(classWeights, input);
        return LossFunctions.CrossEntropy(input, target, w, sampleWeights, LabelSmoothing, Reduction);
    }

    static Tensor CheckedWeights(double[] weights, Tensor input)
    {
        if (weights.Length != input.shape[1])
            throw new ArgumentException($"ClassWeights holds {weights.Length} weights but input has {input.shape[1]} classes (shape {Guard.Shape(input)}).", nameof(input));
        return LossReduction.ToTensor(weights, input);
    }
}

public static partial class LossFunctions
{
    /// <summary>Cross-entropy with class weights, per-sample weights and label smoothing, matching torch's
    /// <c>cross_entropy(input, target, weight, reduction, label_smoothing)</c>; see <see cref="CrossEntropyLoss"/>.</summary>
    /// <param name="input">Logits z, (N, C).</param>
    /// <param name="target">Labels y, (N), int64 in [0, C).</param>
    /// <param name="classWeights">w (C) or null.</param>
    /// <param name="sampleWeights">s (N) or null.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? classWeights = null, Tensor? sampleWeights = null,
        double labelSmoothing = 0.0, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        LossReduction.CheckClassWeights(classWeights, input.shape[1]);
        LossReduction.CheckSampleWeights(sampleWeights, input.shape[0]);
        Guard.InRange(labelSmoothing, 0, 1, nameof(labelSmoothing));
        var logp = input.log_softmax(1);
        var index = target.to_type(ScalarType.Int64).unsqueeze(1);
        var nll = -logp.gather(1, index).squeeze(1);
        Tensor? labelWeight = classWeights is null ? null : classWeights.gather(0, index.squeeze(1));
        var perSample = labelWeight is null ? nll : nll * labelWeight;
        if (labelSmoothing > 0)
        {
            var smooth = classWeights is null ? -logp.sum(1) : -(logp * classWeights.unsqueeze(0)).sum(1);
            perSample = (1 - labelSmoothing) * perSample + (labelSmoothing / input.shape[1]) * smooth;
        }
        return LossReduction.Reduce(perSample, reduction, sampleWeights, labelWeight);
    }
}
