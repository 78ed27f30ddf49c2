namespace LossLab.Training;

/// <summary>Where training stands, reported to an <see cref="IProgress{T}"/> every few steps and at each epoch's end.</summary>
/// <param name="Step">Optimizer steps done so far.</param>
/// <param name="TotalSteps">Steps the run will take in all.</param>
/// <param name="Epoch">The 0-based epoch the last step belonged to.</param>
/// <param name="Epochs">Epochs the run will take in all.</param>
/// <param name="Loss">The loss of the last step.</param>
/// <param name="LearningRate">The learning rate of the last step (first parameter group).</param>
/// <param name="Elapsed">Wall time since this run (or resumption) started.</param>
/// <param name="StepsPerSecond">Steps per second since this run (or resumption) started.</param>
/// <param name="Metrics">The evaluation metrics, when the report is an epoch end with evaluations; else null.</param>
public readonly record struct TrainingProgress(long Step, long TotalSteps, int Epoch, int Epochs, double Loss,
    double LearningRate, TimeSpan Elapsed, double StepsPerSecond, IReadOnlyDictionary<string, double>? Metrics)
{
    /// <summary>The fraction of the run done, in [0, 1].</summary>
    public double Fraction => TotalSteps <= 0 ? 1 : Math.Min(1.0, (double)Step / TotalSteps);
}
