using LossLab.Dynamics;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>Ready-made per-epoch measurements for <see cref="LongTailBench.Curves"/>; each returns named values, brought
/// back to the CPU as doubles.</summary>
public static class LongTailCurves
{
    /// <summary>NC1–NC4 of the training features with the head as classifier (Papyan et al. 2020, arXiv:2008.08186; see
    /// <see cref="NeuralCollapse.Measure"/>), the Fisher ratio and the training error: "nc1", "nc2_equiangularity",
    /// "nc2_equinorm", "nc3", "nc4", "fisher_ratio", "train_error".</summary>
    public static IReadOnlyDictionary<string, double> NeuralCollapse(LongTailEpoch e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var h = e.Network.Features(e.Train.Features);
        var logits = e.Network.Head.forward(h);
        double error = 1 - logits.argmax(1).eq(e.Train.Labels).to(ScalarType.Float64).mean().cpu().ToDouble();
        var nc = Dynamics.NeuralCollapse.Measure(h, e.Train.Labels, e.ClassCount, e.Network.HeadWeight, e.Network.HeadBias);
        return new Dictionary<string, double>
        {
            ["nc1"] = nc.Nc1, ["nc2_equiangularity"] = nc.MeanEquiangularity, ["nc2_equinorm"] = nc.MeanEquinorm,
            ["nc3"] = nc.Nc3 ?? double.NaN, ["nc4"] = nc.Nc4 ?? double.NaN, ["fisher_ratio"] = nc.FisherRatio, ["train_error"] = error,
        };
    }

    /// <summary>The Fisher discriminant ratio Tr(S_B)/Tr(S_W) of the training features, "fisher_ratio" (Hasegawa and Sato
    /// 2024, arXiv:2305.16573).</summary>
    public static IReadOnlyDictionary<string, double> FisherRatio(LongTailEpoch e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var nc = Dynamics.NeuralCollapse.Measure(e.Network.Features(e.Train.Features), e.Train.Labels, e.ClassCount);
        return new Dictionary<string, double> { ["fisher_ratio"] = nc.FisherRatio };
    }

    /// <summary>Balanced accuracy on the test set, "test_balanced_accuracy".</summary>
    public static IReadOnlyDictionary<string, double> TestBalancedAccuracy(LongTailEpoch e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var logits = e.Network.call(e.Test.Features).cpu();
        var scores = logits.shape[1] == 1 ? cat(new[] { zeros_like(logits), logits }, 1) : logits;
        var labels = e.Test.Labels.cpu();
        if (labels.is_floating_point()) labels = labels.reshape(-1).round().to(ScalarType.Int64);
        return new Dictionary<string, double>
        {
            ["test_balanced_accuracy"] = Evaluation.ClassificationMetrics.BalancedAccuracy(scores, labels, Math.Max(2, e.ClassCount)),
        };
    }
}
