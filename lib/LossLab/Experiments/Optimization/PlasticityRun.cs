namespace LossLab.Experiments.Optimization;

/// <summary>What <see cref="PlasticityBench"/> measures after one task, on the task's images with the task's labels.</summary>
/// <param name="Task">The 1-based task number.</param>
/// <param name="Before">Accuracy before any step on the task (the network has never seen this labelling).</param>
/// <param name="Accuracy">End-of-task training accuracy.</param>
/// <param name="Dormant">The τ-dormant fraction, mean over both hidden layers.</param>
/// <param name="EffectiveRank">The effective rank of the last hidden layer's features.</param>
/// <param name="WeightNorm">‖θ‖ over all parameters.</param>
public sealed record TaskStats(int Task, double Before, double Accuracy, double Dormant, double EffectiveRank, double WeightNorm);

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
