using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// The share of a training loss carried by easy negatives, the quantity focal loss was designed to shrink (Lin et al.
/// 2017, arXiv:1708.02002): negatives (target 0) that the model already gets right with p_t = 1 − σ(z) &gt; 0.9.
/// </summary>
public static class EasyNegatives
{
    /// <summary>Σ over easy negatives of the per-element loss, divided by Σ over all elements (0 when the total is 0), in
    /// float64. <paramref name="perElement"/> has one loss per element of <paramref name="targets"/> (any shape with as
    /// many elements, e.g. (N) or (N, 1)); <paramref name="logits"/> and <paramref name="targets"/> have the same shape.</summary>
    /// <param name="perElement">The loss of each element (unreduced).</param>
    /// <param name="logits">z, the detector's logits.</param>
    /// <param name="targets">y, 0/1 targets.</param>
    /// <param name="positiveBelow">A negative is easy when σ(z) is below this (p_t above 1 minus it; 0.1: p_t &gt; 0.9).</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static double Share(Tensor perElement, Tensor logits, Tensor targets, double positiveBelow = 0.1)
    {
        ArgumentNullException.ThrowIfNull(perElement);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        Guard.SameShape(logits, targets, nameof(logits), nameof(targets));
        if (perElement.numel() != targets.numel())
            throw new ArgumentException($"perElement must hold one loss per target element: {Guard.Shape(perElement)} against targets {Guard.Shape(targets)}.", nameof(perElement));
        using var scope = NewDisposeScope();
        var easy = targets.eq(0).logical_and(logits.sigmoid().lt(positiveBelow)).to(ScalarType.Float64);
        var l = perElement.to(ScalarType.Float64).reshape(targets.shape);
        double all = l.sum().cpu().ToDouble();
        return all > 0 ? (l * easy).sum().cpu().ToDouble() / all : 0;
    }
}
