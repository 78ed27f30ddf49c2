using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>What the values of a <see cref="LossTerm"/> belong to.</summary>
public enum TermKind
{
    /// <summary>One value per anchor (row of the batch).</summary>
    Element,
    /// <summary>One value per positive pair.</summary>
    PositivePair,
    /// <summary>One value per negative pair.</summary>
    NegativePair,
    /// <summary>One value per (anchor, positive, negative) triplet.</summary>
    Triplet,
    /// <summary>A scalar already reduced by the loss itself; reducers pass it through.</summary>
    AlreadyReduced,
}

/// <summary>One named sub-loss of a pair loss: a 1-D tensor of per-element values, what they belong to, and optionally which
/// of them are valid (an anchor with no positive, say, is present but not valid). Multi-term losses expose their terms so
/// notebooks can plot them; the loss's <c>forward</c> reduces each term and sums.</summary>
/// <param name="Name">The term's name ("loss", "positive", "negative", …).</param>
/// <param name="Values">1-D per-element values (a scalar for <see cref="TermKind.AlreadyReduced"/>).</param>
/// <param name="Kind">What the values belong to.</param>
/// <param name="Valid">Optional 1-D boolean mask of the valid entries; null means all are valid.</param>
public sealed record LossTerm(string Name, Tensor Values, TermKind Kind, Tensor? Valid = null);
