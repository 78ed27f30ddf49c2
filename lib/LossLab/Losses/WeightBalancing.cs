using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// The pieces of weight balancing for long-tailed recognition (Alshammari, Wang, Ramanan, Kong, CVPR 2022,
/// arXiv:2203.14197). Stage 1: train the whole network with cross-entropy and a strong weight decay. Stage 2: freeze the
/// feature extractor and re-train the classifier with a class-balanced loss, weight decay, and a max-norm constraint
/// ‖w_c‖₂ ≤ τ on each classifier row, enforced by projection after every step (projected gradient descent).
/// Weight decay is applied decoupled from the loss gradient, θ ← θ·(1 − η·λ) (Loshchilov and Hutter, arXiv:1711.05101).
/// </summary>
public static class WeightBalancing
{
    /// <summary>Projects each row of <paramref name="weight"/> (C, …) in place onto the ball ‖w_c‖₂ ≤ τ: rows longer
    /// than τ are rescaled to length τ, shorter rows are left alone. Runs without gradient tracking.</summary>
    /// <param name="weight">The classifier weight, one row per class (the first dimension).</param>
    /// <param name="maxNorm">τ &gt; 0 (the reference code's threshold: 0.1).</param>
    public static void MaxNormProject(Tensor weight, double maxNorm = 0.1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Guard.Floating(weight, nameof(weight));
        if (weight.dim() < 1) throw new ArgumentException($"weight must have a row dimension; got shape {Guard.Shape(weight)}.", nameof(weight));
        Guard.Positive(maxNorm, nameof(maxNorm));
        using var noGrad = torch.no_grad();
        using var rows = weight.reshape(weight.shape[0], -1);
        using var norms = rows.norm(1, keepdim: true, p: 2);
        using var factor = (maxNorm / norms.clamp_min(1e-30)).clamp_max(1.0);
        using var shape = factor.reshape(Enumerable.Range(0, (int)weight.dim()).Select(d => d == 0 ? weight.shape[0] : 1L).ToArray());
        weight.mul_(shape);
    }

    /// <summary>Decoupled weight decay θ ← θ·(1 − η·λ) on each tensor, in place, without gradient tracking.</summary>
    /// <param name="parameters">The parameters to decay (e.g. all, in stage 1; the classifier's, in stage 2).</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0 with η·λ &lt; 1 (the paper's stage-1 value on CIFAR-LT: 5e-3).</param>
    public static void DecayWeights(IEnumerable<Tensor> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(learningRate, nameof(learningRate));
        Guard.NonNegative(weightDecay, nameof(weightDecay));
        double factor = 1 - learningRate * weightDecay;
        if (factor <= 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"learningRate·weightDecay must be below 1; got {learningRate * weightDecay}.");
        using var noGrad = torch.no_grad();
        foreach (var p in parameters) p.mul_(factor);
    }

    /// <summary>Stage 2's class weights: inverse frequency (β = null) or effective-number weights with β, summing to C.</summary>
    public static double[] ClassifierRetrainingWeights(IReadOnlyList<long> classCounts, double? beta = null) =>
        beta is double b ? ClassBalancedWeights.EffectiveNumber(classCounts, b) : ClassBalancedWeights.InverseFrequency(classCounts);

    /// <summary>Stage 2's start: turns off gradients of every parameter of <paramref name="model"/> that is not a
    /// parameter of <paramref name="classifier"/> (a submodule of the model) and returns the classifier's parameters,
    /// the ones left to train.</summary>
    public static IReadOnlyList<Parameter> FreezeAllButClassifier(nn.Module model, nn.Module classifier)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classifier);
        var trainable = classifier.parameters().ToList();
        if (trainable.Count == 0) throw new ArgumentException("classifier has no parameters.", nameof(classifier));
        var handles = new HashSet<IntPtr>(trainable.Select(p => p.Handle));
        var all = model.parameters().ToList();
        if (!trainable.All(p => all.Any(q => q.Handle == p.Handle)))
            throw new ArgumentException("classifier must be a submodule of model (its parameters are not all model parameters).", nameof(classifier));
        foreach (var p in all) p.requires_grad = handles.Contains(p.Handle);
        return trainable;
    }
}
