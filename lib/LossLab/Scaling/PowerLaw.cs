namespace LossLab.Scaling;

/// <summary>
/// Power law plus a constant, L(x) = E + A·x^(−α) (Henighan et al. 2020, "Scaling Laws for Autoregressive Generative
/// Modeling", arXiv:2010.14701, write it L = L_∞ + (x₀/x)^α; E estimates the entropy of the data). Parameters in order
/// E, A, alpha; E and A are fitted in log space, so log L = LSE(e, a − α log x).
/// </summary>
public sealed class PowerLaw : ScalingLaw
{
    /// <summary>Declares the law for the input called <paramref name="input"/> (N, D, C, steps, …).</summary>
    public PowerLaw(string input = "x") : base("power law plus constant", $"L = E + A·{input}^(−α)", [input],
    [
        new("E", true, "irreducible loss"),
        new("A", true, "coefficient"),
        new("alpha", false, "exponent α"),
    ])
    { }

    /// <summary>Feature log x.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features) =>
        features[0] = Math.Log(PositiveInput(inputs[0], Inputs[0]));

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        double logX = features[0];
        double value = LogSumExp.Of(theta[0], theta[1] - theta[2] * logX, out double w0, out double w1);
        if (!gradient.IsEmpty)
        {
            gradient[0] = w0;
            gradient[1] = w1;
            gradient[2] = -w1 * logX;
        }
        return value;
    }
}
