namespace LossLab.Scaling;

/// <summary>
/// Hoffmann et al.'s Approach 3 as Besiroglu et al. (2024, arXiv:2404.10102) replicate it: drop the 5 highest-loss runs,
/// D = C/(6N), minimise the sum of Huber losses (δ = 1e-3) of log-loss residuals of <see cref="ChinchillaLaw"/> with
/// L-BFGS from every point of Hoffmann et al.'s grid of 4,500 initialisations: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1},
/// a, b ∈ {0, 5, …, 25}. Their result: A = 482.01, B = 2085.43, E = 1.8169, α = 0.3478, β = 0.3659
/// (SciPy's best on this grid: objective 1.01827e-3, A = 477.7, B = 2144, E = 1.8172, α = 0.3473, β = 0.3672).
/// </summary>
public static class ChinchillaApproach3
{
    /// <summary>The Huber threshold δ = 1e-3.</summary>
    public const double HuberDelta = 1e-3;

    /// <summary>Runs dropped before fitting: the 5 highest-loss ones.</summary>
    public const int DroppedRuns = 5;

    /// <summary>Hoffmann et al.'s 4,500-start grid, in the order of Epoch's <c>product(α, β, e, a, b)</c>, as fit-space
    /// starts (a, b, e, α, β) of <see cref="ChinchillaLaw"/>.</summary>
    public static StartGrid FullGrid { get; } = Grid(
        alphas: [0, 0.5, 1, 1.5, 2], betas: [0, 0.5, 1, 1.5, 2], es: [-1, -0.5, 0, 0.5, 1], as_: [0, 5, 10, 15, 20, 25], bs: [0, 5, 10, 15, 20, 25]);

    /// <summary>A grid over the given values in Epoch's loop order (α outermost, b innermost).</summary>
    public static StartGrid Grid(double[] alphas, double[] betas, double[] es, double[] as_, double[] bs)
    {
        var starts = new List<double[]>();
        foreach (var al in alphas)
            foreach (var be in betas)
                foreach (var e in es)
                    foreach (var a in as_)
                        foreach (var b in bs)
                            starts.Add([a, b, e, al, be]);
        return StartGrid.Of([.. starts]);
    }

    /// <summary>The fitter: Huber δ = 1e-3 on log residuals, summed.</summary>
    public static LawFitter Fitter(LbfgsOptions? lbfgs = null, int maxDegreeOfParallelism = -1) =>
        new(ChinchillaLaw.Instance, new LawFitOptions(ResidualLoss.Huber(HuberDelta), Mean: false, lbfgs, maxDegreeOfParallelism));

    /// <summary>The points of the procedure: <paramref name="runs"/> without the 5 highest-loss runs, as (N, D) → loss.</summary>
    public static LawPoints Points(IReadOnlyList<ChinchillaRun> runs) => ChinchillaRuns.ToPoints(ChinchillaRuns.DropHighestLoss(runs, DroppedRuns));

    /// <summary>Fits the runs from <paramref name="grid"/> (the full grid when null).</summary>
    public static LawFit Fit(IReadOnlyList<ChinchillaRun> runs, StartGrid? grid = null, LbfgsOptions? lbfgs = null, int maxDegreeOfParallelism = -1) =>
        Fitter(lbfgs, maxDegreeOfParallelism).Fit(Points(runs), grid ?? FullGrid);
}
