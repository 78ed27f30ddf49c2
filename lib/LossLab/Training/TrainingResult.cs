namespace LossLab.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="Status">Whether the run completed, met a non-finite loss, or was cancelled.</param>
/// <param name="Steps">Optimizer steps taken in all (including steps before a resumption).</param>
/// <param name="Epochs">Epochs completed in all.</param>
/// <param name="LastFiniteLoss">The loss of the last step with a finite loss (NaN when there was none).</param>
/// <param name="NonFiniteStep">The step whose loss was not finite, when <paramref name="Status"/> is NonFinite.</param>
/// <param name="NonFiniteLoss">That step's loss.</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record TrainingResult(TrainingStatus Status, long Steps, int Epochs, double LastFiniteLoss,
    long? NonFiniteStep, double? NonFiniteLoss, TimeSpan Elapsed)
{
    /// <summary>Throws <see cref="NonFiniteLossException"/> when the run stopped on a non-finite loss; returns this otherwise.</summary>
    public TrainingResult ThrowIfNonFinite() =>
        Status == TrainingStatus.NonFinite
            ? throw new NonFiniteLossException(NonFiniteStep!.Value, NonFiniteLoss!.Value, LastFiniteLoss)
            : this;
}
