namespace LossLab.Experiments;

/// <summary>A sweep's progress, reported after each cell.</summary>
/// <param name="Done">Cells finished (run or read from the cache).</param>
/// <param name="Total">Cells in the sweep.</param>
/// <param name="Cell">The cell just finished.</param>
public readonly record struct SweepProgress(int Done, int Total, SweepCell Cell);
