namespace LossLab.Scaling;

/// <summary>
/// A loss-to-loss line fitted as Brandfonbrener et al. do it ("Loss-to-Loss Prediction: Scaling Laws for All Datasets",
/// 2024, arXiv:2411.12925): from models of one family, first the irreducible losses E_x and E_y, each the E of a compute
/// law L(C) = E + A·C^(−α) (<see cref="PowerLaw"/>) fitted to the models' losses on that distribution, then K and κ of
/// <see cref="ShiftedPowerLaw"/>, L_y = K·(L_x − E_x)^κ + E_y, by least squares of log(L_y − E_y) on log(L_x − E_x) over
/// the models above both floors. The line exists when at least two models lie above both floors with a spread in L_x;
/// otherwise κ (and every prediction) is NaN.
/// </summary>
/// <param name="K">K.</param>
/// <param name="Kappa">κ (NaN when the line could not be fitted).</param>
/// <param name="Ex">E_x, the fitted floor of the source loss.</param>
/// <param name="Ey">E_y, the fitted floor of the target loss.</param>
/// <param name="Usable">How many of the models lay above both floors and entered the least squares.</param>
/// <param name="Models">How many models the line was fitted on.</param>
public sealed record LossToLossLine(double K, double Kappa, double Ex, double Ey, int Usable, int Models)
{
    /// <summary>Whether the line was fitted (κ finite).</summary>
    public bool IsDefined => double.IsFinite(Kappa);

    /// <summary>L_y = K·(L_x − E_x)^κ + E_y, computed from the natural values (a fitted E may have underflowed to 0, which
    /// <see cref="ShiftedPowerLaw"/>'s fit space cannot hold); NaN for L_x ≤ E_x or an undefined line.</summary>
    public double Predict(double lossX) => lossX > Ex && IsDefined ? K * Math.Pow(lossX - Ex, Kappa) + Ey : double.NaN;

    /// <summary>The grid of starts for a compute law fitted to losses whose smallest is <paramref name="minimumLoss"/>, in
    /// <see cref="PowerLaw"/>'s fit space (log E, log A, α): log E ∈ log({0.3, 0.7, 0.95}·min L), log A ∈ {0, 3, 6, 10},
    /// α ∈ {0.1, 0.3, 0.6}.</summary>
    public static StartGrid ComputeGrid(double minimumLoss)
    {
        Guard.Positive(minimumLoss, nameof(minimumLoss));
        return StartGrid.Product([Math.Log(0.3 * minimumLoss), Math.Log(0.7 * minimumLoss), Math.Log(0.95 * minimumLoss)], [0.0, 3.0, 6.0, 10.0], [0.1, 0.3, 0.6]);
    }

    /// <summary>E of the compute law L(C) = E + A·C^(−α) fitted to <paramref name="losses"/> at training compute
    /// <paramref name="compute"/> (default fitter: Huber δ = 1e-3 on log residuals, from <see cref="ComputeGrid"/>).</summary>
    public static LawFit ComputeFit(IReadOnlyList<double> compute, IReadOnlyList<double> losses, LawFitter? fitter = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(losses);
        if (losses.Count == 0) throw new ArgumentException("losses is empty: a compute law needs models.", nameof(losses));
        fitter ??= new LawFitter(new PowerLaw("C"));
        return fitter.Fit(LawPoints.FromColumns(losses, compute), ComputeGrid(losses.Min()));
    }

    /// <summary>Fits the line on models with training compute <paramref name="compute"/>, source losses
    /// <paramref name="lossX"/> and target losses <paramref name="lossY"/>.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static LossToLossLine Fit(IReadOnlyList<double> compute, IReadOnlyList<double> lossX, IReadOnlyList<double> lossY, LawFitter? computeFitter = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(lossX);
        ArgumentNullException.ThrowIfNull(lossY);
        if (lossX.Count != compute.Count || lossY.Count != compute.Count)
            throw new ArgumentException($"compute, lossX and lossY must have one value per model; got {compute.Count}, {lossX.Count}, {lossY.Count}.", nameof(lossY));
        if (compute.Count == 0) throw new ArgumentException("no models: a line needs at least two.", nameof(compute));
        double ex = ComputeFit(compute, lossX, computeFitter)["E"], ey = ComputeFit(compute, lossY, computeFitter)["E"];
        var usable = Enumerable.Range(0, compute.Count).Where(i => lossX[i] > ex && lossY[i] > ey).ToArray();
        var u = usable.Select(i => Math.Log(lossX[i] - ex)).ToArray();
        var v = usable.Select(i => Math.Log(lossY[i] - ey)).ToArray();
        double uMean = u.Length > 0 ? u.Average() : double.NaN, vMean = v.Length > 0 ? v.Average() : double.NaN;
        double sxx = u.Sum(a => (a - uMean) * (a - uMean));
        double kappa = usable.Length >= 2 && sxx > 0 ? u.Zip(v, (a, b) => (a - uMean) * (b - vMean)).Sum() / sxx : double.NaN;
        return new LossToLossLine(Math.Exp(vMean - kappa * uMean), kappa, ex, ey, usable.Length, compute.Count);
    }
}
