using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Positive and negative pair masks from class labels. Against the batch itself (no reference labels) an
/// embedding is not its own positive: the diagonal is left out. Against a separate reference set every same-label
/// reference is a positive.</summary>
public static class LabelMasks
{
    /// <summary>(B, R) boolean mask, true where labels[i] = referenceLabels[j] (and i ≠ j when the reference is the batch).</summary>
    public static Tensor Positive(Tensor labels, Tensor? referenceLabels = null)
    {
        var same = labels.unsqueeze(1).eq((referenceLabels ?? labels).unsqueeze(0));
        if (referenceLabels is null)
            same = same.logical_and(torch.eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device).logical_not());
        return same;
    }

    /// <summary>(B, R) boolean mask, true where labels[i] ≠ referenceLabels[j].</summary>
    public static Tensor Negative(Tensor labels, Tensor? referenceLabels = null) =>
        labels.unsqueeze(1).ne((referenceLabels ?? labels).unsqueeze(0));
}
