using LossLab.Unlearning;
using static TorchSharp.torch;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// One model of an unlearning bench, scored like every other (<see cref="UnlearningAudit"/>): the original model, Retrain,
/// or a method's result for one seed. A run that diverged (a non-finite loss ended it) is scored at its last finite
/// checkpoint (<see cref="MeasuredAt"/>).
/// </summary>
public sealed record UnlearningRecord
{
    /// <summary>The method (<see cref="UnlearningBench.Original"/>, <see cref="UnlearningBench.Retrain"/> or an arm's name).</summary>
    public required string Method { get; init; }

    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>SalUn's audit in percent (FA, RA, TA, UA = 100 − FA; MIA-efficacy and the loss-MIA AUC are NaN when the
    /// audit leaves membership inference out).</summary>
    public required UnlearningMetrics Metrics { get; init; }

    /// <summary>SalUn's average gap to Retrain over UA, MIA-efficacy, RA and TA (points; 0 for Retrain, NaN without membership inference).</summary>
    public double Gap { get; init; } = double.NaN;

    /// <summary>The linear probe on the penultimate features (null unless the audit has <see cref="UnlearningAudit.Features"/>).</summary>
    public LinearProbeResult? Probe { get; init; }

    /// <summary>Linear CKA of the penultimate features to the original model's (NaN unless the audit has <see cref="UnlearningAudit.Features"/>).</summary>
    public double Cka { get; init; } = double.NaN;

    /// <summary>Relearn steps (<see cref="UnlearningAudit.Relearn"/>); null when past the budget or not audited.</summary>
    public int? RelearnSteps { get; init; }

    /// <summary>Wall-clock seconds: training (the original, Retrain) or building and running the method (a saliency mask,
    /// a teacher copy, checkpoints and trajectory included; the audit excluded).</summary>
    public double Seconds { get; init; }

    /// <summary><see cref="Seconds"/> / Retrain's seconds of the same seed (SalUn's run-time column; 0 for the original).</summary>
    public double RelativeTime { get; init; }

    /// <summary>The loss of each unlearning step (empty for the original, Retrain and arms that do not optimise).</summary>
    public IReadOnlyList<double> Losses { get; init; } = [];

    /// <summary>The step whose loss was not finite, which ended the run; null if none.</summary>
    public int? NonFiniteStep { get; init; }

    /// <summary>The step whose state was scored: all steps taken, or the last finite checkpoint of a diverged run (0: the original).</summary>
    public int MeasuredAt { get; init; }

    /// <summary>FA and RA at every checkpoint with finite outputs, from step 0 (empty unless the bench records trajectories).</summary>
    public IReadOnlyList<TrajectoryPoint> Trajectory { get; init; } = [];

    /// <summary>The scored model's state (null unless the bench keeps states; the caller disposes it).</summary>
    public IReadOnlyDictionary<string, Tensor>? State { get; init; }

    /// <summary>Unlearning steps taken with a finite loss.</summary>
    public int Steps => Losses.Count;

    /// <summary>Whether a non-finite loss ended the run.</summary>
    public bool Diverged => NonFiniteStep is not null;

    /// <summary>FA (%).</summary>
    public double ForgetAccuracy => Metrics.ForgetAccuracy;

    /// <summary>RA (%).</summary>
    public double RetainAccuracy => Metrics.RetainAccuracy;

    /// <summary>TA (%).</summary>
    public double TestAccuracy => Metrics.TestAccuracy;
}
