using LossLab.Scaling;

namespace LossLab.Experiments.Scaling;

/// <summary>A law fitted to the points of a <see cref="LawSweep{TCell, TRun}"/>: one seed's runs, or every seed's pooled.</summary>
/// <param name="Seed">The seed whose runs were fitted; null for a pooled fit.</param>
/// <param name="Fit">The fit.</param>
/// <param name="Points">The points fitted.</param>
public sealed record SweepFit(int? Seed, LawFit Fit, LawPoints Points)
{
    /// <summary>Fits <paramref name="law"/> to <paramref name="points"/>.</summary>
    public static SweepFit Of(int? seed, LawDeclaration law, LawPoints points)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(points);
        return new SweepFit(seed, law.Fit(points), points);
    }

    /// <summary>The fit's error on its own points (goodness of fit: R², relative errors).</summary>
    public PredictionError InSample => Fit.Error(Points);

    /// <summary>The fitted value of the parameter called <paramref name="name"/>.</summary>
    public double this[string name] => Fit[name];

    /// <summary>The prediction at raw inputs (from the fit-space optimum, see <see cref="LawFit.Predict(double[])"/>).</summary>
    public double Predict(params double[] inputs) => Fit.Predict(inputs);
}
