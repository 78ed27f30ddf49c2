using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Functional forms of the pair losses and their numerical helpers.</summary>
public static partial class PairLossFunctions
{
    /// <summary>log Σ_{j: keep_j} exp(x_j) along <paramref name="dim"/>, or log(1 + Σ …) when <paramref name="addOne"/>.
    /// Shifted by the (detached) row maximum so large arguments do not overflow. A row with nothing kept gives 0 with zero
    /// gradient (the empty-row-is-zero rule every pair loss relies on), never −∞ or NaN.</summary>
    /// <param name="x">Values, any floating shape.</param>
    /// <param name="keep">Boolean mask of the shape of <paramref name="x"/>: the entries that take part.</param>
    /// <param name="dim">Dimension reduced (removed from the result).</param>
    /// <param name="addOne">Add 1 inside the logarithm (a zero logit appended to every row).</param>
    public static Tensor MaskedLogSumExp(Tensor x, Tensor keep, long dim = 1, bool addOne = false)
    {
        Guard.SameShape(x, keep, nameof(x), nameof(keep));
        if (keep.dtype != ScalarType.Bool)
            throw new ArgumentException($"{nameof(keep)} must be a boolean mask; got {keep.dtype}.", nameof(keep));
        // torch.logsumexp is max-shifted; an empty row gives −∞ there, and the NaN its backward would produce at the masked
        // entries is discarded by masked_fill's backward, so only the kept entries receive gradient.
        var lse = x.masked_fill(keep.logical_not(), TorchScalars.NegativeInfinity).logsumexp(dim);
        if (addOne) return torch.logaddexp(lse, torch.zeros_like(lse));       // log(1 + e^lse); 0 for an empty row
        return lse.masked_fill(keep.any(dim).logical_not(), TorchScalars.Zero);
    }
}
