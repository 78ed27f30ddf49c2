namespace LossLab.Scaling;

/// <summary>Settings of <see cref="LawFitter"/>.</summary>
/// <param name="Loss">The residual penalty; null means Huber with δ = 1e-3 (Hoffmann et al. 2022).</param>
/// <param name="Mean">Minimise the mean rather than the sum of penalties (the sum is Besiroglu et al.'s recommendation).</param>
/// <param name="Lbfgs">Minimiser settings; null means <see cref="LbfgsOptions"/>' defaults.</param>
/// <param name="MaxDegreeOfParallelism">Threads for the starts (and bootstrap resamples); −1 uses every core.</param>
public sealed record LawFitOptions(ResidualLoss? Loss = null, bool Mean = false, LbfgsOptions? Lbfgs = null, int MaxDegreeOfParallelism = -1);
