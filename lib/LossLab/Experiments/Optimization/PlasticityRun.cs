namespace LossLab.Experiments.Optimization;

/// <summary>One learner on one task sequence.</summary>
/// <param name="Learner">The learner.</param>
/// <param name="Seed">The seed of the task sequence and the initialisation.</param>
/// <param name="Stats">One entry per task, in order.</param>
/// <param name="Replaced">Units replaced by continual backprop (0 for the other learners).</param>
/// <param name="Seconds">Wall-clock of the run.</param>
public sealed record PlasticityRun(string Learner, int Seed, TaskStats[] Stats, long Replaced, double Seconds)
{
    /// <summary>The mean of <paramref name="metric"/> over the first <paramref name="window"/> tasks.</summary>
    public double Early(int window, Func<TaskStats, double> metric) => Window(Stats.Take(window), window, metric);

    /// <summary>The mean of <paramref name="metric"/> over the last <paramref name="window"/> tasks.</summary>
    public double Late(int window, Func<TaskStats, double> metric) => Window(Stats.TakeLast(window), window, metric);

    static double Window(IEnumerable<TaskStats> tasks, int window, Func<TaskStats, double> metric)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be at least 1 task.");
        ArgumentNullException.ThrowIfNull(metric);
        return tasks.Average(metric);
    }
}
