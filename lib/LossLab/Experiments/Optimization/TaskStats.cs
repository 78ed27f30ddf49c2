namespace LossLab.Experiments.Optimization;

/// <summary>What <see cref="PlasticityBench"/> measures after one task, on the task's images with the task's labels.</summary>
/// <param name="Task">The 1-based task number.</param>
/// <param name="Before">Accuracy before any step on the task (the network has never seen this labelling).</param>
/// <param name="Accuracy">End-of-task training accuracy.</param>
/// <param name="Dormant">The τ-dormant fraction, mean over both hidden layers.</param>
/// <param name="EffectiveRank">The effective rank of the last hidden layer's features.</param>
/// <param name="WeightNorm">‖θ‖ over all parameters.</param>
public sealed record TaskStats(int Task, double Before, double Accuracy, double Dormant, double EffectiveRank, double WeightNorm);
