namespace LossLab.Experiments.Unlearning;

/// <summary>One training of a reference model by an <see cref="UnlearningBench"/>: the original model (once per seed) or
/// Retrain (once per seed and scenario).</summary>
/// <param name="Model"><see cref="UnlearningBench.Original"/> or <see cref="UnlearningBench.Retrain"/>.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Scenario">Retrain's scenario; null for the original model.</param>
/// <param name="Samples">The size of its training set (D for the original, D_r for Retrain).</param>
/// <param name="Seconds">Wall-clock seconds of the training.</param>
public readonly record struct ReferenceTraining(string Model, int Seed, string? Scenario, long Samples, double Seconds);
