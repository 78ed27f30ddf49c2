using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Membership-inference audits of an unlearned classifier.
/// <para><b>MIA-efficacy</b> exactly as SalUn's evaluation (Fan et al. 2024, arXiv:2310.12508; code evaluation/SVC_MIA.py,
/// after Unlearn-Sparse, Jia et al. 2023, arXiv:2304.04934): the feature is the true-class confidence pθ(y|x); an RBF SVC
/// (C = 3, γ = "auto" = 1) is trained with shadow members = min(|D_r|, |D_test|) samples of D_r (label 1) and shadow
/// non-members = D_test (label 0); MIA-efficacy = 100 × the fraction of D_f predicted non-member. Higher = more forgotten.
/// SalUn takes the first |D_test| samples of its (randomly ordered) CIFAR retain set; LossLab draws them uniformly without
/// replacement from a seeded generator (<see cref="ShadowMemberIndices"/>), so that a class-sorted D_r (MNIST) does not give
/// shadow members of the first few classes only.</para>
/// <para><b>Loss-threshold MIA AUC</b> (Yeom et al. 2018, arXiv:1709.01604): members score −CE, the AUC of separating
/// D_f (members) from D_test (non-members) over all thresholds; 0.5 means indistinguishable.</para>
/// </summary>
public static class MembershipInference
{
    /// <summary>pθ(yᵢ|xᵢ) for every sample (softmax taken in float64).</summary>
    public static double[] TrueClassConfidence(nn.Module<Tensor, Tensor> model, LabeledTensors data)
    {
        using var scope = NewDisposeScope();
        var logits = ModelOutputs.Logits(model, data);
        var labels = data.Labels.cpu().to_type(ScalarType.Int64);
        Guard.LogitsAndTargets(logits, labels, "logits", nameof(data));
        var confidence = nn.functional.softmax(logits, 1).gather(1, labels.unsqueeze(1)).squeeze(1).data<double>().ToArray();
        if (confidence.Any(v => !double.IsFinite(v)))
            throw new InvalidOperationException("The model's outputs are not finite on the data (it diverged); its membership cannot be audited.");
        return confidence;
    }

    /// <summary>Per-sample cross-entropy −log pθ(yᵢ|xᵢ) (float64).</summary>
    public static double[] Losses(nn.Module<Tensor, Tensor> model, LabeledTensors data)
    {
        using var scope = NewDisposeScope();
        var logits = ModelOutputs.Logits(model, data);
        var labels = data.Labels.cpu().to_type(ScalarType.Int64);
        Guard.LogitsAndTargets(logits, labels, "logits", nameof(data));
        return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None).data<double>().ToArray();
    }

    /// <summary>The positions in D_r of the shadow members: min(<paramref name="retainCount"/>, <paramref name="testCount"/>)
    /// of [0, retainCount) drawn uniformly without replacement (Fisher–Yates on <see cref="LossLab.Training.Seeds.Random"/> of
    /// <paramref name="seed"/>, stream <see cref="ShadowStream"/>), ascending. Same seed, same subset.</summary>
    public static long[] ShadowMemberIndices(long retainCount, long testCount, long seed = 0)
    {
        if (retainCount < 1) throw new ArgumentOutOfRangeException(nameof(retainCount), retainCount, "retainCount must be at least 1.");
        if (testCount < 1) throw new ArgumentOutOfRangeException(nameof(testCount), testCount, "testCount must be at least 1.");
        var all = new long[checked((int)retainCount)];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        RandomSampling.Shuffle(LossLab.Training.Seeds.Random(seed, ShadowStream), all);
        return all.Take((int)Math.Min(retainCount, testCount)).Order().ToArray();
    }

    /// <summary>The stream of <see cref="LossLab.Training.Seeds.Random"/> that draws the shadow members.</summary>
    public const long ShadowStream = 0x5AD0;

    /// <summary>SalUn's MIA-efficacy (percent) of <paramref name="model"/>, with the shadow members drawn from
    /// <paramref name="retain"/> by <see cref="ShadowMemberIndices"/> with <paramref name="seed"/>.</summary>
    public static double Efficacy(nn.Module<Tensor, Tensor> model, LabeledTensors forget, LabeledTensors retain, LabeledTensors test, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(retain);
        ArgumentNullException.ThrowIfNull(test);
        if (retain.Count == 0) throw new ArgumentException("retain must hold at least one sample.", nameof(retain));
        if (test.Count == 0) throw new ArgumentException("test must hold at least one sample.", nameof(test));
        using var shadowMembers = retain.Subset((IReadOnlyList<long>)ShadowMemberIndices(retain.Count, test.Count, seed));
        return EfficacyFromConfidences(TrueClassConfidence(model, shadowMembers), TrueClassConfidence(model, test),
            TrueClassConfidence(model, forget));
    }

    /// <summary>MIA-efficacy (percent) from confidences: an RBF SVC (C = 3, γ = 1) fitted on shadow members (1) and
    /// non-members (0), then 100 × the fraction of <paramref name="target"/> predicted 0.</summary>
    public static double EfficacyFromConfidences(IReadOnlyList<double> shadowMembers, IReadOnlyList<double> shadowNonMembers, IReadOnlyList<double> target)
    {
        ArgumentNullException.ThrowIfNull(shadowMembers);
        ArgumentNullException.ThrowIfNull(shadowNonMembers);
        ArgumentNullException.ThrowIfNull(target);
        if (shadowMembers.Count == 0) throw new ArgumentException("shadowMembers must not be empty.", nameof(shadowMembers));
        if (shadowNonMembers.Count == 0) throw new ArgumentException("shadowNonMembers must not be empty.", nameof(shadowNonMembers));
        if (target.Count == 0) throw new ArgumentException("target must not be empty.", nameof(target));
        var x = shadowMembers.Concat(shadowNonMembers).Select(v => new[] { v }).ToArray();
        var y = Enumerable.Repeat(1, shadowMembers.Count).Concat(Enumerable.Repeat(0, shadowNonMembers.Count)).ToArray();
        var svc = SupportVectorClassifier.Fit(x, y, c: 3.0);
        return 100.0 * target.Count(v => svc.Predict([v]) == 0) / target.Count;
    }

    /// <summary>The loss-threshold MIA AUC of <paramref name="model"/>: D_f as members against D_test as non-members.</summary>
    public static double LossAuc(nn.Module<Tensor, Tensor> model, LabeledTensors forget, LabeledTensors test) =>
        LossAuc(Losses(model, forget), Losses(model, test));

    /// <summary>The loss-threshold AUC from per-sample losses: P(ℓ_member &lt; ℓ_non-member) + ½ P(=).</summary>
    public static double LossAuc(IReadOnlyList<double> memberLosses, IReadOnlyList<double> nonMemberLosses) =>
        Auc(memberLosses.Select(v => -v).ToArray(), nonMemberLosses.Select(v => -v).ToArray());

    /// <summary>The ROC AUC of scores that should be higher for positives: the Mann–Whitney statistic
    /// P(s⁺ &gt; s⁻) + ½ P(s⁺ = s⁻), by ranks in O(n log n).</summary>
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        if (positives.Count == 0) throw new ArgumentException("positives must not be empty.", nameof(positives));
        if (negatives.Count == 0) throw new ArgumentException("negatives must not be empty.", nameof(negatives));
        if (positives.Concat(negatives).Any(double.IsNaN)) throw new ArgumentException("scores must not be NaN.", nameof(positives));
        var all = positives.Select(v => (v, pos: true)).Concat(negatives.Select(v => (v, pos: false))).OrderBy(p => p.v).ToArray();
        double rankSum = 0;
        for (int k = 0; k < all.Length;)
        {
            int end = k;
            while (end + 1 < all.Length && all[end + 1].v == all[k].v) end++;
            double midRank = (k + end) / 2.0 + 1;   // 1-based average rank of the tie group
            for (int t = k; t <= end; t++) if (all[t].pos) rankSum += midRank;
            k = end + 1;
        }
        double np = positives.Count, nn = negatives.Count;
        return (rankSum - np * (np + 1) / 2) / (np * nn);
    }
}
