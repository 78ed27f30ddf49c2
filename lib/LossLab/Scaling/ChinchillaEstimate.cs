namespace LossLab.Scaling;

/// <summary>
/// The natural parameters of a fit of <see cref="ChinchillaLaw"/>, L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022,
/// arXiv:2203.15556), read as they are, degenerate values included. A fit to runs that show no floor, or in which a term
/// has no effect, puts a parameter at an extreme (E underflowed to 0, A or B vanished, α or β at 0); then the
/// compute-optimal allocation N_opt = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)), a = β/(α+β), is 0, infinite or meaningless.
/// <see cref="ChinchillaParameters"/> holds well-formed parameters; this record says why a fit is not.
/// </summary>
/// <param name="A">A.</param>
/// <param name="B">B.</param>
/// <param name="E">E, the irreducible loss.</param>
/// <param name="Alpha">α.</param>
/// <param name="Beta">β.</param>
public sealed record ChinchillaEstimate(double A, double B, double E, double Alpha, double Beta)
{
    /// <summary>Below this, E counts as underflowed (no floor visible in the runs).</summary>
    public const double MinimumE = 1e-6;

    /// <summary>Below this, A or B counts as vanished.</summary>
    public const double MinimumCoefficient = 1e-9;

    /// <summary>Below this, α or β counts as 0 (the term became a constant).</summary>
    public const double MinimumExponent = 1e-3;

    /// <summary>The natural parameters of <paramref name="fit"/>.</summary>
    /// <exception cref="ArgumentException">The fit is of another law.</exception>
    public static ChinchillaEstimate FromFit(LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Law is not ChinchillaLaw) throw new ArgumentException($"fit is of {fit.Law.Name}, not of the Chinchilla law.", nameof(fit));
        return new(fit["A"], fit["B"], fit["E"], fit["alpha"], fit["beta"]);
    }

    /// <summary>a = β/(α + β), the exponent of N_opt ∝ C^a.</summary>
    public double SizeExponent => Beta / (Alpha + Beta);

    /// <summary>G = (αA/(βB))^(1/(α+β)).</summary>
    public double G => Math.Pow(Alpha * A / (Beta * B), 1 / (Alpha + Beta));

    /// <summary>N_opt = G·(C/6)^a at a budget of <paramref name="flops"/>.</summary>
    public double OptimalParameters(double flops) => G * Math.Pow(flops / 6, SizeExponent);

    /// <summary>The compute-optimal frontier at <paramref name="budgets"/> (FLOP): N_opt(C) = G·(C/6)^a and
    /// D_opt(C) = (C/6)/N_opt, keeping only the budgets where both are positive and finite.</summary>
    public (double[] Flops, double[] N, double[] D) Frontier(IEnumerable<double> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var kept = budgets.Select(c => (C: c, N: OptimalParameters(c))).Select(t => (t.C, t.N, D: t.C / 6 / t.N))
            .Where(t => t.N > 0 && double.IsFinite(t.N) && t.D > 0 && double.IsFinite(t.D)).ToArray();
        return (kept.Select(t => t.C).ToArray(), kept.Select(t => t.N).ToArray(), kept.Select(t => t.D).ToArray());
    }

    /// <summary>Why the fit is degenerate (E ≤ 1e-6, A or B ≤ 1e-9, α or β ≤ 1e-3, any of them not finite, or G not
    /// positive and finite), or null when it is not.</summary>
    public string? Degenerate()
    {
        var why = new List<string>();
        if (!(E > MinimumE) || !double.IsFinite(E)) why.Add($"E = {E:G3} (underflowed: no floor in the runs)");
        if (!(A > MinimumCoefficient) || !double.IsFinite(A)) why.Add($"A = {A:G3}");
        if (!(B > MinimumCoefficient) || !double.IsFinite(B)) why.Add($"B = {B:G3}");
        if (!(Alpha > MinimumExponent) || !double.IsFinite(Alpha)) why.Add($"α = {Alpha:G3}");
        if (!(Beta > MinimumExponent) || !double.IsFinite(Beta)) why.Add($"β = {Beta:G3}");
        if (why.Count == 0 && !(G > 0 && double.IsFinite(G))) why.Add($"G = {G:G3}");
        return why.Count == 0 ? null : string.Join(", ", why);
    }

    /// <summary>True when <see cref="Degenerate"/> finds nothing.</summary>
    public bool IsWellFormed => Degenerate() is null;
}
