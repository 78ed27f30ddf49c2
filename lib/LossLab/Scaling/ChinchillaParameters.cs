namespace LossLab.Scaling;

/// <summary>
/// Parameters of Chinchilla's L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, arXiv:2203.15556), with the law's
/// closed-form compute-optimal allocation under C = 6ND.
/// </summary>
public sealed record ChinchillaParameters(double A, double B, double E, double Alpha, double Beta)
{
    /// <summary>Hoffmann et al.'s fit as printed in the paper: E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.</summary>
    public static ChinchillaParameters Hoffmann2022 { get; } = new(406.4, 410.7, 1.69, 0.34, 0.28);

    /// <summary>Hoffmann et al.'s fit unrounded, from the paper's TeX source (as quoted by Besiroglu et al.):
    /// E = 1.69337368, A = 406.401018, B = 410.722827, α = 0.33917084, β = 0.2849083.</summary>
    public static ChinchillaParameters Hoffmann2022Unrounded { get; } = new(406.401018, 410.722827, 1.69337368, 0.33917084, 0.2849083);

    /// <summary>Besiroglu et al.'s refit on the data extracted from Hoffmann et al.'s Figure 4 ("Chinchilla Scaling: A
    /// replication attempt", 2024, arXiv:2404.10102): A = 482.01, B = 2085.43, E = 1.8169, α = 0.3478, β = 0.3659.</summary>
    public static ChinchillaParameters Besiroglu2024 { get; } = new(482.01, 2085.43, 1.8169, 0.3478, 0.3659);

    /// <summary>Reads the parameters of a fit of <see cref="ChinchillaLaw"/>.</summary>
    /// <exception cref="ArgumentException">The fit is of another law.</exception>
    public static ChinchillaParameters FromFit(LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Law is not ChinchillaLaw) throw new ArgumentException($"fit is of {fit.Law.Name}, not of the Chinchilla law.", nameof(fit));
        return FromArray(fit.Parameters);
    }

    /// <summary>From natural values in the law's order A, B, E, alpha, beta.</summary>
    public static ChinchillaParameters FromArray(IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Count != 5) throw new ArgumentException($"p must hold A, B, E, alpha, beta; got {p.Count} values.", nameof(p));
        return new(p[0], p[1], p[2], p[3], p[4]);
    }

    /// <summary>The values in the law's order A, B, E, alpha, beta.</summary>
    public double[] ToArray() => [A, B, E, Alpha, Beta];

    /// <summary>L(N, D).</summary>
    public double Loss(double n, double d) => E + A / Math.Pow(n, Alpha) + B / Math.Pow(d, Beta);

    /// <summary>The exponent a of N_opt ∝ C^a: a = β/(α + β).</summary>
    public double SizeExponent => Beta / (Alpha + Beta);

    /// <summary>The exponent b of D_opt ∝ C^b: b = α/(α + β).</summary>
    public double DataExponent => Alpha / (Alpha + Beta);

    /// <summary>
    /// The minimiser of L(N, D) subject to 6ND = C: N_opt = G·(C/6)^a, D_opt = G⁻¹·(C/6)^b with
    /// G = (αA/(βB))^{1/(α+β)}, a = β/(α+β), b = α/(α+β) (Hoffmann et al. 2022, Appendix D.2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flops"/> is not positive, or α, β are not positive.</exception>
    public (double N, double D) ComputeOptimal(double flops)
    {
        Guard.Positive(flops, nameof(flops));
        if (!(Alpha > 0) || !(Beta > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), "α and β must be positive for a compute-optimal allocation.");
        double g = Math.Pow(Alpha * A / (Beta * B), 1.0 / (Alpha + Beta));
        double c6 = flops / 6.0;
        double n = g * Math.Pow(c6, SizeExponent);
        return (n, c6 / n);
    }

    /// <summary>Compute-optimal tokens per parameter D_opt/N_opt at a budget of <paramref name="flops"/>.</summary>
    public double TokensPerParameter(double flops)
    {
        var (n, d) = ComputeOptimal(flops);
        return d / n;
    }

    /// <summary>The tokens D at which L(N, D) = <paramref name="loss"/> for a model of <paramref name="n"/> parameters (an
    /// iso-loss contour): D = (B/(ℓ − E − A/N^α))^(1/β); NaN when ℓ ≤ E + A/N^α (the loss is out of reach at that size).</summary>
    public double IsoLossTokens(double n, double loss)
    {
        double rest = loss - E - A / Math.Pow(n, Alpha);
        return rest > 0 ? Math.Pow(B / rest, 1 / Beta) : double.NaN;
    }

    /// <inheritdoc/>
    public override string ToString() => $"A = {A:G6}, B = {B:G6}, E = {E:G6}, α = {Alpha:G6}, β = {Beta:G6}";
}
