namespace LossLab.Experiments.Unlearning;

/// <summary>
/// What the bench measures on every model (the original, Retrain and each method), the same way for all. Always: forget,
/// retain and test accuracy. Optionally: SalUn's membership inference (MIA-efficacy and the loss-threshold AUC, which the
/// average gap to Retrain needs; Fan et al. 2024, arXiv:2310.12508), the representation audit of "Are We Truly
/// Forgetting?" (2025) — a linear probe on the frozen penultimate features and linear CKA to the original's (Kornblith et
/// al. 2019, arXiv:1905.00414) — and the relearn time (Golatkar et al. 2020, arXiv:1911.04933).
/// </summary>
public sealed record UnlearningAudit
{
    /// <summary>SalUn's audit: accuracies and membership inference (the average gap to Retrain).</summary>
    public static UnlearningAudit SalUn { get; } = new();

    /// <summary>Accuracies only (forget, retain, test).</summary>
    public static UnlearningAudit Accuracy { get; } = new() { MembershipInference = false };

    /// <summary>Measure MIA-efficacy and the loss-threshold MIA AUC (default true); without them the gap to Retrain is NaN.</summary>
    public bool MembershipInference { get; init; } = true;

    /// <summary>The seed that draws the MIA's shadow members from D_r (<see cref="LossLab.Unlearning.MembershipInference.ShadowMemberIndices"/>).</summary>
    public long MiaSeed { get; init; }

    /// <summary>Fit a linear probe on the penultimate features of one half of the held-out split, score it on the other
    /// half, and measure linear CKA to the original model's features on that second half.</summary>
    public bool Features { get; init; }

    /// <summary>The stream of <see cref="Training.Seeds.Random"/> that halves the held-out split for the probe.</summary>
    public const long ProbeStream = 3;

    /// <summary>Measure the relearn time (class-wise forgetting only); null: not measured.</summary>
    public RelearnAudit? Relearn { get; init; }
}
