namespace LossLab.Scaling;

/// <summary>
/// A law to fit as a notebook declares it: the fitter (the law, the residual loss, L-BFGS settings) and the grid of starts.
/// One declaration fits any set of points the same way (<see cref="Fit"/>), so per-seed, pooled and held-out fits of a
/// sweep cannot drift apart.
/// </summary>
public sealed class LawDeclaration
{
    /// <summary>Fits with <paramref name="fitter"/> (e.g. <see cref="ChinchillaApproach3.Fitter"/>) from <paramref name="starts"/>.</summary>
    /// <exception cref="ArgumentException">The starts' dimension differs from the law's parameter count.</exception>
    public LawDeclaration(LawFitter fitter, StartGrid starts)
    {
        ArgumentNullException.ThrowIfNull(fitter);
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Dimension != fitter.Law.ParameterCount)
            throw new ArgumentException($"starts have {starts.Dimension} values; {fitter.Law.Name} has {fitter.Law.ParameterCount} parameters ({string.Join(", ", fitter.Law.Parameters.Select(p => p.Name))}).", nameof(starts));
        Fitter = fitter;
        Starts = starts;
    }

    /// <summary>Fits <paramref name="law"/> with the default settings (Huber δ = 1e-3 on log residuals, summed over
    /// points) or <paramref name="options"/>, from <paramref name="starts"/>.</summary>
    public LawDeclaration(ScalingLaw law, StartGrid starts, LawFitOptions? options = null) : this(new LawFitter(law, options), starts) { }

    /// <summary>The fitter.</summary>
    public LawFitter Fitter { get; }

    /// <summary>The starts, in the law's fit space.</summary>
    public StartGrid Starts { get; }

    /// <summary>The law.</summary>
    public ScalingLaw Law => Fitter.Law;

    /// <summary>Fits <paramref name="points"/> from every start.</summary>
    public LawFit Fit(LawPoints points) => Fitter.Fit(points, Starts);

    /// <summary>Fits <paramref name="train"/> and measures the error on <paramref name="test"/>.</summary>
    public HeldOutError HeldOut(LawPoints train, LawPoints test) => Fitter.HeldOut(train, test, Starts);
}
