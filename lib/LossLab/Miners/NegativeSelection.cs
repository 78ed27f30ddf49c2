using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Shared ranking step of the negative miners: per row, the entries of <c>candidates</c> ranked by score
/// (descending), and the mask of those whose rank lies in [skip, skip + take).</summary>
internal static class NegativeSelection
{
    internal static Tensor ByRank(Tensor score, Tensor candidates, long skip, long take)
    {
        var masked = score.masked_fill(candidates.logical_not(), TorchScalars.NegativeInfinity);
        var (values, order) = masked.sort(1, descending: true);
        var rank = torch.arange(score.shape[1], device: score.device).unsqueeze(0);
        var chosenSorted = rank.ge(skip).logical_and(rank.lt(skip + take)).logical_and(values.isfinite());
        return torch.zeros_like(candidates).scatter(1, order, chosenSorted);
    }

    internal static void CheckCount(long value, string name, bool allowZero = false)
    {
        if (value < 0 || (!allowZero && value == 0))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {(allowZero ? "non-negative" : "positive")}.");
    }
}
