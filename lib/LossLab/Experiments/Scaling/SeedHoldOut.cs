using LossLab.Scaling;

namespace LossLab.Experiments.Scaling;

/// <summary>
/// One seed held out of a <see cref="LawSweep{TCell, TRun}"/>: the law fitted on every other seed's runs predicts this
/// seed's runs, and so does the saturated reference, the other seeds' mean loss in each cell (a free value per cell, so it
/// carries no law at all; its error is the seed-to-seed noise). A law that describes the runs predicts an unseen seed about as
/// well as the cell means or better (it pools the cells); a law that misses the shape errs by more than the noise.
/// </summary>
/// <param name="Seed">The held-out seed.</param>
/// <param name="Fit">The law fitted on the other seeds' runs.</param>
/// <param name="Law">The law's error on the held-out seed's runs.</param>
/// <param name="CellMean">The error of the other seeds' per-cell mean loss on the held-out seed's runs.</param>
public sealed record SeedHoldOut(int Seed, LawFit Fit, PredictionError Law, PredictionError CellMean)
{
    /// <summary>Mean |L̂/L − 1| of the law minus that of the cell means (negative: the law predicts the unseen seed better
    /// than the seed noise of the cells allows the saturated reference to).</summary>
    public double ExcessError => Law.MeanAbsoluteRelativeError - CellMean.MeanAbsoluteRelativeError;
}
