namespace LossLab.Unlearning;

/// <summary>The record of one unlearning run: the method's name, the loss of each step, and the wall-clock time.</summary>
/// <param name="Method">The objective's name.</param>
/// <param name="Losses">The loss value of each step.</param>
/// <param name="Elapsed">Wall-clock time of the run (preparation such as a saliency mask excluded unless timed by the caller).</param>
/// <param name="NonFiniteStep">The step whose loss was NaN or infinite, which ended the run early; null if none.</param>
public sealed record UnlearningRun(string Method, IReadOnlyList<double> Losses, TimeSpan Elapsed, int? NonFiniteStep = null)
{
    /// <summary>Whether the run completed its budget with finite losses.</summary>
    public bool Completed => NonFiniteStep is null;

    /// <summary>This run's time as a fraction of <paramref name="retrain"/>'s (SalUn's run-time efficiency column).</summary>
    public double RelativeTime(UnlearningRun retrain)
    {
        ArgumentNullException.ThrowIfNull(retrain);
        if (retrain.Elapsed <= TimeSpan.Zero) throw new ArgumentException("The retrain run has no duration.", nameof(retrain));
        return Elapsed / retrain.Elapsed;
    }
}
