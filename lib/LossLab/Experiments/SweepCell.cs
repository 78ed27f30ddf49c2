namespace LossLab.Experiments;

/// <summary>One finished cell of a sweep: a configuration run with one seed, and the metrics it produced.</summary>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Metrics">The named results (accuracy, loss, …).</param>
/// <param name="FromCache">Whether the cell was read from the result cache rather than run.</param>
/// <param name="Seconds">How long the run took when it was computed.</param>
public sealed record SweepCell(string Configuration, int Seed, IReadOnlyDictionary<string, double> Metrics, bool FromCache, double Seconds);
