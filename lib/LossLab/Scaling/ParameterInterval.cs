namespace LossLab.Scaling;

/// <summary>A bootstrap interval of one parameter.</summary>
/// <param name="Name">The parameter.</param>
/// <param name="Estimate">The full-data fit's value.</param>
/// <param name="Lower">The lower percentile bound.</param>
/// <param name="Upper">The upper percentile bound.</param>
/// <param name="StandardError">The standard deviation over resamples.</param>
public sealed record ParameterInterval(string Name, double Estimate, double Lower, double Upper, double StandardError)
{
    /// <summary>True when <paramref name="value"/> lies within [Lower, Upper].</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
